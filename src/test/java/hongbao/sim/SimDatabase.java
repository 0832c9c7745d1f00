package hongbao.sim;

import hongbao.domain.SetLayout;
import hongbao.store.jdbc.JdbcStore;
import hongbao.store.sql.SetPlacement;
import hongbao.store.Store;
import hongbao.store.StoreException;
import hongbao.testing.SingleSqliteWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * One SET's SQLite file for the simulation. What is durable is exactly what SQLite committed: the process "dies" by
 * closing its connections, which discards any transaction still open, and the next process opens the same file. The
 * operating system never crashes here, so {@code synchronous=OFF} loses nothing the model counts as durable and
 * spares an fsync per commit. The schema is migrated once per JVM into a template that each run copies.
 */
final class SimDatabase {
    private static Path template;

    private final Path file;
    private final SetPlacement placement;
    private final int trimEvery;
    /** A derivation slice takes a few entries here, so that slices leave entries pending between them. */
    private static final int SLICE_MAX_ENTRIES = 2;

    private SimDatabase(Path file, SetPlacement placement, int trimEvery) {
        this.file = file;
        this.placement = placement;
        this.trimEvery = trimEvery;
    }

    /**
     * @param trimEvery the journal trims its derived entries after this many (the service's {@link JdbcStore#TRIM_EVERY}
     *     is more than a run appends), so that trimming, and its COMMIT's faults, happen in simulated runs
     */
    static SimDatabase create(Path dir, SetLayout layout, int set, int trimEvery) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("set-" + set + ".db");
            Files.copy(template(), file);
            return new SimDatabase(file, new SetPlacement(layout, set), trimEvery);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    private static synchronized Path template() throws IOException {
        if (template == null) {
            Path dir = Files.createTempDirectory("hongbao-sim-template");
            Path file = dir.resolve("template.db");
            SQLiteDataSource source = dataSource(file, false);
            Flyway.configure().dataSource(source).locations("classpath:db/migration/sqlite").load().migrate();
            template = file;
        }
        return template;
    }

    /**
     * A process's view of the file: fresh connections, no state carried over from an earlier process. Every COMMIT on
     * its two write connections (the tables' and the journal's) may fail, crash or lose its reply, as {@code faults}
     * decides: the store's own transactions (derivation, the journal's append and trim, recovery) included.
     */
    Process open(Faults faults, long epoch, Runnable fenced) {
        Connection writer = null;
        Connection reader = null;
        Connection journal = null;
        try {
            writer = dataSource(file, false).getConnection();
            reader = dataSource(file, true).getConnection();
            journal = dataSource(journalFile(), false).getConnection();
            JdbcStore.createJournalTable(journal);
            Process process = new Process(null, writer, reader, journal);
            try {
                int set = placement.index();
                Store store = new JdbcStore(
                        new FencedWriter(new SingleSqliteWriter(FaultyConnection.wrap(writer, "the tables", faults)), set,
                                epoch, fenced),
                        new FencedWriter(new SingleSqliteWriter(FaultyConnection.wrap(journal, "the journal", faults)), set,
                                epoch, fenced),
                        JdbcStore.WritePath.JOURNAL, new SingleReader(reader), reader::close, now -> { }, placement,
                        trimEvery, SLICE_MAX_ENTRIES);
                return new Process(store, writer, reader, journal);
            } catch (RuntimeException | SimulatedCrash failedRecovery) {
                // The store's own start (its recovery) failed or died: the process's connections die with it.
                process.die();
                throw failedRecovery;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file, e);
        }
    }

    /**
     * A node takes the SET, as {@code SetLease} does: the epoch rises, in both of the SET's files (PostgreSQL keeps the
     * tables and the journal in one database, whose one row both kinds of transaction check), fencing every node that
     * took it before. Returns the new epoch.
     */
    long take() {
        try (Connection tables = dataSource(file, false).getConnection();
                Connection journal = dataSource(journalFile(), false).getConnection()) {
            createEpochTable(tables);
            createEpochTable(journal);
            long epoch;
            try (var statement = tables.createStatement();
                    ResultSet rs = statement.executeQuery("UPDATE set_lease SET epoch = epoch + 1 RETURNING epoch")) {
                rs.next();
                epoch = rs.getLong(1);
            }
            try (var update = journal.prepareStatement("UPDATE set_lease SET epoch = ?")) {
                update.setLong(1, epoch);
                update.executeUpdate();
            }
            return epoch;
        } catch (SQLException e) {
            throw new StoreException("cannot take " + file, e);
        }
    }

    /** The row of PostgreSQL's {@code set_lease} (migration V11) that the fence reads. */
    private static void createEpochTable(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS set_lease (id INTEGER PRIMARY KEY CHECK (id = 0), epoch INTEGER NOT NULL)");
            statement.execute("INSERT OR IGNORE INTO set_lease (id, epoch) VALUES (0, 0)");
        }
    }

    /**
     * The model's own reader of the SET's durable state: a store over the file whose journal is empty, so its reads
     * never catch up (derive) first, as the service's do. The model sees the derived tables exactly as the service
     * left them, and reads the journal's entries still waiting for derivation itself ({@link #underived}).
     */
    Store checkView() {
        try {
            Connection writer = dataSource(file, false).getConnection();
            Connection reader = dataSource(file, true).getConnection();
            Connection noJournal = DriverManager.getConnection("jdbc:sqlite::memory:");
            JdbcStore.createJournalTable(noJournal);
            return new JdbcStore(new SingleSqliteWriter(writer), new SingleSqliteWriter(noJournal), JdbcStore.WritePath.JOURNAL,
                    new SingleReader(reader), () -> {
                        writer.close();
                        reader.close();
                        noJournal.close();
                    }, now -> { }, placement);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file + " for the model", e);
        }
    }

    /** An acknowledged open the journal holds and the derived tables do not (yet). */
    record Underived(long packetId, String userId, long amount) {
    }

    /** The journal's entries past the tables' {@code derived_through}: what recovery would derive. */
    List<Underived> underived() {
        try (Connection tables = dataSource(file, true).getConnection();
                Connection journal = dataSource(journalFile(), true).getConnection()) {
            long derivedThrough;
            try (var statement = tables.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT derived_through FROM journal_marks")) {
                rs.next();
                derivedThrough = rs.getLong(1);
            }
            List<Underived> entries = new ArrayList<>();
            try (var query = journal.prepareStatement("SELECT packet_id, user_id, amount FROM open_journal WHERE op > ? ORDER BY op")) {
                query.setLong(1, derivedThrough);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new Underived(rs.getLong(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new StoreException("cannot read the journal of " + file, e);
        }
    }

    /** The journal beside the SET's file, as the service keeps it. */
    private Path journalFile() {
        return file.resolveSibling(file.getFileName().toString().replace(".db", "-journal.db"));
    }

    /** The store of one process, and the connections its death closes. */
    record Process(Store store, Connection writer, Connection reader, Connection journal) {
        /** Dies: whatever transaction is open is lost; what was committed stays in the files. */
        void die() {
            try {
                writer.close();
                reader.close();
                journal.close();
            } catch (SQLException e) {
                throw new StoreException("cannot close the simulated process's connections", e);
            }
        }
    }

    private static SQLiteDataSource dataSource(Path file, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
        config.setReadOnly(readOnly);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return source;
    }

    /**
     * One read connection handed out again and again (the store closes what it borrows, so it gets a view whose close
     * only resets it, as a pool's would). A separate connection, as the service's read pool is: it sees only what was
     * committed.
     */
    private static final class SingleReader implements DataSource {
        private final Connection shared;

        SingleReader(Connection connection) {
            this.shared = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            // What a pool does when a connection comes back: end its transaction, restore auto-commit.
                            if (!connection.getAutoCommit()) {
                                connection.rollback();
                                connection.setAutoCommit(true);
                            }
                            return null;
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection() {
            return shared;
        }

        @Override
        public Connection getConnection(String username, String password) {
            return shared;
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
