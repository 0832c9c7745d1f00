package hongbao.bench;

import hongbao.domain.Packet;
import hongbao.domain.PacketRules;
import hongbao.domain.PacketStatus;
import hongbao.domain.SetLayout;
import hongbao.store.jdbc.JdbcStore;
import hongbao.store.journal.OpenJournal;
import hongbao.store.sqlite.SqliteStore;
import hongbao.store.packets.StoredPacket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Design {@code ceiling}: the physical limit. One journal row per winning open (the row the write path appends for
 * it, op increasing), appended by one thread with plain JDBC in batched transactions, nothing else running: no
 * engine, no requests, no derived tables. On SQLite into a fresh file of its own opened with the service's pragmas
 * (WAL, {@code synchronous=FULL}); on PostgreSQL into a scratch schema of the run's database, dropped after. The
 * store under test is only read (its packets, to compute the rows) and never written.
 */
final class Ceiling {
    /** The journal of migration V8 (SQLite's is created by the store itself, see {@link JdbcStore#createJournalTable}). */
    static final String POSTGRES_TABLE = "CREATE TABLE %s.open_journal (op BIGINT PRIMARY KEY, packet_id BIGINT NOT NULL, "
            + "seq INTEGER NOT NULL, user_id TEXT NOT NULL, amount BIGINT NOT NULL, at_ms BIGINT NOT NULL, "
            + "crediting INTEGER NOT NULL, opened_amount BIGINT NOT NULL, finished INTEGER NOT NULL)";
    private static final int COLUMNS = 9;
    /** Rows per INSERT statement: well under both databases' limits on bound parameters. */
    private static final int ROWS_PER_STATEMENT = 500;
    /** The service's own fallback (SqliteStore): its checkpoints run on a background thread, never in a commit. */
    private static final int WAL_AUTOCHECKPOINT_PAGES = 50_000;

    /** One journal row; {@code crediting} as {@link OpenJournal#creditingCode} codes it. */
    record JournalRow(long op, long packetId, int seq, String userId, long amount, long atMs, int crediting,
            long openedAmount, boolean finished) {
    }

    private Ceiling() {
    }

    static OpenRunner.Counts run(BenchDatabase database, Fixture fixture, Clock clock, int batchSize)
            throws IOException, SQLException {
        List<JournalRow> rows = rows(database, fixture, clock.instant());
        if (database.onPostgres) {
            String schema = "ceiling_" + BenchDatabase.freshName();
            try (Connection connection = database.connections.getConnection()) {
                try (Statement ddl = connection.createStatement()) {
                    ddl.execute("CREATE SCHEMA " + schema);
                    ddl.execute(String.format(POSTGRES_TABLE, schema));
                }
                try {
                    return append(connection, schema + ".open_journal", rows, batchSize);
                } finally {
                    connection.setAutoCommit(true);
                    try (Statement drop = connection.createStatement()) {
                        drop.execute("DROP SCHEMA " + schema + " CASCADE");
                    }
                }
            }
        }
        Path dir = Files.createTempDirectory("hongbao-ceiling-");
        try {
            try (Connection connection = SqliteStore.extraConnections(dir).getConnection()) {
                try (Statement ddl = connection.createStatement()) {
                    ddl.execute("PRAGMA wal_autocheckpoint=" + WAL_AUTOCHECKPOINT_PAGES);
                }
                JdbcStore.createJournalTable(connection);
                return append(connection, "open_journal", rows, batchSize);
            }
        } finally {
            BenchDatabase.deleteTree(dir);
        }
    }

    /** The winning opens' rows, computed before the clock starts: the ceiling measures the append alone. */
    static List<JournalRow> rows(BenchDatabase database, Fixture fixture, Instant at) {
        Map<Long, Packet> packets = new HashMap<>();
        for (StoredPacket stored : database.store.livePackets()) {
            packets.put(stored.packet().id(), stored.packet());
        }
        List<JournalRow> rows = new ArrayList<>();
        for (Fixture.PlannedOpen open : fixture.winners(packets)) {
            PacketRules.Opened opened = (PacketRules.Opened) PacketRules.open(packets.get(open.packetId()), open.userId(),
                    false, at, SetLayout.ONE_SET);
            Packet after = opened.after();
            packets.put(after.id(), after);
            rows.add(new JournalRow(rows.size() + 1, after.id(), opened.claim().seq(), open.userId(),
                    opened.claim().amount(), at.toEpochMilli(), OpenJournal.creditingCode(opened, SetLayout.ONE_SET),
                    after.openedAmount(),
                    after.status() == PacketStatus.FINISHED));
        }
        return rows;
    }

    private static OpenRunner.Counts append(Connection connection, String table, List<JournalRow> rows, int batchSize)
            throws SQLException {
        connection.setAutoCommit(false);
        String insert = "INSERT INTO " + table + " (op, packet_id, seq, user_id, amount, at_ms, crediting, opened_amount, "
                + "finished) VALUES ";
        Map<Integer, PreparedStatement> statements = new HashMap<>();
        Latencies latencies = new Latencies();
        long started = System.nanoTime();
        try {
            for (int from = 0; from < rows.size(); from += batchSize) {
                List<JournalRow> batch = rows.subList(from, Math.min(rows.size(), from + batchSize));
                long batchStarted = System.nanoTime();
                for (int chunk = 0; chunk < batch.size(); chunk += ROWS_PER_STATEMENT) {
                    List<JournalRow> part = batch.subList(chunk, Math.min(batch.size(), chunk + ROWS_PER_STATEMENT));
                    PreparedStatement statement = statements.computeIfAbsent(part.size(), n -> prepare(connection,
                            insert + String.join(", ", java.util.Collections.nCopies(n, "(?, ?, ?, ?, ?, ?, ?, ?, ?)"))));
                    int p = 1;
                    for (JournalRow row : part) {
                        statement.setLong(p++, row.op());
                        statement.setLong(p++, row.packetId());
                        statement.setLong(p++, row.seq());
                        statement.setString(p++, row.userId());
                        statement.setLong(p++, row.amount());
                        statement.setLong(p++, row.atMs());
                        statement.setLong(p++, row.crediting());
                        statement.setLong(p++, row.openedAmount());
                        statement.setLong(p++, row.finished() ? 1 : 0);
                    }
                    statement.executeUpdate();
                }
                connection.commit();
                long batchNanos = System.nanoTime() - batchStarted;
                for (int i = 0; i < batch.size(); i++) {
                    latencies.add(batchNanos);
                }
            }
        } finally {
            for (PreparedStatement statement : statements.values()) {
                statement.close();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        check(connection, table, rows.size());
        return new OpenRunner.Counts(rows.size(), 0, 0, seconds, latencies);
    }

    /** Every row is there once, in op order: a ceiling that lost rows would flatter nobody. */
    private static void check(Connection connection, String table, int expected) throws SQLException {
        try (Statement query = connection.createStatement();
                ResultSet counted = query.executeQuery("SELECT count(*), coalesce(max(op), 0) FROM " + table)) {
            counted.next();
            if (counted.getLong(1) != expected || counted.getLong(2) != expected) {
                throw new IllegalStateException("the ceiling's journal holds " + counted.getLong(1) + " rows up to op "
                        + counted.getLong(2) + ", not " + expected);
            }
        }
        connection.commit();
    }

    private static PreparedStatement prepare(Connection connection, String sql) {
        try {
            return connection.prepareStatement(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the journal insert", e);
        }
    }
}
