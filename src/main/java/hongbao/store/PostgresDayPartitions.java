package hongbao.store;

import hongbao.domain.PacketIds;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.sql.DataSource;

/**
 * Creates the day partitions of packets and claims ahead of time (PostgreSQL declarative partitioning), so the hot
 * tables a day's opens touch stay as small as that day. Idempotent: run at start and then periodically.
 */
public final class PostgresDayPartitions {
    public static final int DAYS_AHEAD = 7;
    private static final List<String> TABLES = List.of("packets", "claims");
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final DataSource database;

    public PostgresDayPartitions(DataSource database) {
        this.database = database;
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
}
