package hongbao.store.postgres;

import hongbao.store.StoreException;

import hongbao.domain.PacketIds;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The day dimension on PostgreSQL: creates the day partitions of packets and claims ahead of time, and moves those
 * older than the retention window to the {@code cold} schema, so the hot tables a day's opens touch stay small while
 * history grows and stays readable (the {@code *_all} views). Idempotent: run at start and then periodically.
 */
public final class PostgresDayPartitions {
    public static final int DAYS_AHEAD = 7;
    public static final int DEFAULT_RETENTION_DAYS = 31;
    private static final List<String> TABLES = List.of("packets", "claims");
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final DataSource database;
    private final int retentionDays;

    public PostgresDayPartitions(DataSource database, int retentionDays) {
        this.database = database;
        this.retentionDays = retentionDays;
    }

    /** Partitions ahead, then history past the retention window to cold storage. */
    public void maintain(Instant now) {
        ensureAhead(now);
        moveToCold(LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(retentionDays));
    }

    /** Ensures partitions from the day of {@code now} up to {@link #DAYS_AHEAD} days after it. */
    public void ensureAhead(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            for (int offset = 0; offset <= DAYS_AHEAD; offset++) {
                LocalDate day = today.plusDays(offset);
                for (String table : TABLES) {
                    statement.execute(String.format(
                            "CREATE TABLE IF NOT EXISTS %s_d%s PARTITION OF %s FOR VALUES FROM (%d) TO (%d)", table,
                            day.format(SUFFIX), table, PacketIds.firstIdOf(day), PacketIds.firstIdOf(day.plusDays(1))));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot create day partitions: " + e.getMessage(), e);
        }
    }

    /** Moves every hot day partition of a day before {@code firstHotDay}, packets and claims in one transaction. */
    void moveToCold(LocalDate firstHotDay) {
        try (Connection connection = database.getConnection()) {
            for (LocalDate day : hotDaysBefore(connection, firstHotDay)) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    // Attaching a day validates its rows: longer than a request may wait (the pool gives the
                    // connection its own bound back when it returns).
                    connection.setNetworkTimeout(Runnable::run, (int) PostgresStore.MIGRATION_TIMEOUT.toMillis());
                    statement.execute("SET LOCAL statement_timeout = " + PostgresStore.MIGRATION_TIMEOUT.toMillis());
                    for (String table : TABLES) {
                        String partition = table + "_d" + day.format(SUFFIX);
                        statement.execute("ALTER TABLE public." + table + " DETACH PARTITION public." + partition);
                        statement.execute("ALTER TABLE public." + partition + " SET SCHEMA cold");
                        statement.execute(String.format("ALTER TABLE cold.%s ATTACH PARTITION cold.%s FOR VALUES FROM (%d) TO (%d)",
                                table, partition, PacketIds.firstIdOf(day), PacketIds.firstIdOf(day.plusDays(1))));
                    }
                    connection.commit();
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot move old partitions to cold storage: " + e.getMessage(), e);
        }
    }

    private static List<LocalDate> hotDaysBefore(Connection connection, LocalDate firstHotDay) throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace "
                        + "WHERE p.relname = 'packets' AND n.nspname = 'public' AND c.relname ~ '^packets_d[0-9]{8}$' ORDER BY 1")) {
            while (rs.next()) {
                LocalDate day = LocalDate.parse(rs.getString(1).substring("packets_d".length()), SUFFIX);
                if (day.isBefore(firstHotDay)) {
                    days.add(day);
                }
            }
        }
        return days;
    }
}
