package hongbao.store.sqlite;

import hongbao.store.Store;
import hongbao.store.StoreException;
import hongbao.store.jdbc.JdbcStore;
import hongbao.store.sql.SetPlacement;
import hongbao.store.sql.WriteConnection;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a commit is on disk when it returns.
 * SQLite has one writer at a time, so writes share one connection under a lock; reads use a small pool.
 */
public final class SqliteStore {
    public static final String FILE_NAME = "hongbao.db";
    /** Acknowledged opens not yet derived into {@link #FILE_NAME}'s tables; its own file, with its own writer. */
    public static final String JOURNAL_FILE_NAME = "journal.db";
    private static final int FALLBACK_CHECKPOINT_PAGES = 50_000;
    private static final long CHECKPOINT_INTERVAL_MILLIS = 1000;

    private SqliteStore() {
    }

    public static Store open(Path dataDir, int shards) {
        return open(dataDir, SetPlacement.only(shards));
    }

    /** SET 0 keeps the file in the data directory itself, SET k in its subdirectory {@code set-k}. */
    public static Path file(Path baseDir, int set) {
        return (set == 0 ? baseDir : baseDir.resolve("set-" + set)).resolve(FILE_NAME);
    }

    public static Store open(Path baseDir, SetPlacement placement) {
        return open(baseDir, placement, JdbcStore.WritePath.JOURNAL);
    }

    public static Store open(Path baseDir, SetPlacement placement, JdbcStore.WritePath writePath) {
        Path dataDir = file(baseDir, placement.index()).getParent();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create data directory " + dataDir, e);
        }
        String url = "jdbc:sqlite:" + dataDir.resolve(FILE_NAME).toAbsolutePath();
        SQLiteDataSource writeSource = dataSource(url, false);
        Flyway.configure().dataSource(writeSource).locations("classpath:db/migration/sqlite").load().migrate();
        Path journalFile = dataDir.resolve(JOURNAL_FILE_NAME);
        SQLiteDataSource journalSource = dataSource("jdbc:sqlite:" + journalFile.toAbsolutePath(), false);
        JournalBinding binding = JournalBinding.open(writeSource, journalFile, journalSource);
        HikariConfig readConfig = new HikariConfig();
        readConfig.setDataSource(dataSource(url, true));
        readConfig.setMaximumPoolSize(4);
        readConfig.setReadOnly(true);
        readConfig.setPoolName("hongbao-sqlite-read");
        HikariDataSource readers = new HikariDataSource(readConfig);
        try {
            Connection writeConnection = writeSource.getConnection();
            try (java.sql.Statement pragma = writeConnection.createStatement()) {
                // Fallback only: the checkpointer below keeps the log far smaller than this.
                pragma.execute("PRAGMA wal_autocheckpoint=" + FALLBACK_CHECKPOINT_PAGES);
            }
            WalCheckpointer checkpointer = new WalCheckpointer(writeSource.getConnection(), CHECKPOINT_INTERVAL_MILLIS);
            Connection journalConnection = binding.journalConnection();
            try (java.sql.Statement pragma = journalConnection.createStatement()) {
                pragma.execute("PRAGMA wal_autocheckpoint=" + FALLBACK_CHECKPOINT_PAGES);
            }
            WalCheckpointer journalCheckpointer = new WalCheckpointer(journalSource.getConnection(), CHECKPOINT_INTERVAL_MILLIS);
            // Closed after the store's last append and derivation: marked closed before the journal's last connection
            // goes, which folds its log into journal.db and deletes it.
            AutoCloseable background = () -> {
                binding.closed();
                checkpointer.close();
                journalCheckpointer.close();
                readers.close();
            };
            return new JdbcStore(new LockedConnection(writeConnection), new LockedConnection(journalConnection), writePath,
                    readers, background, now -> { }, placement);
        } catch (SQLException e) {
            readers.close();
            throw new StoreException("cannot open " + url, e);
        }
    }

    /**
     * Extra connections to a data directory's file with the service's pragmas, for the benchmark's lock-based designs
     * (which begin their own transactions); the service itself writes through one connection.
     */
    public static javax.sql.DataSource extraConnections(Path dataDir) {
        return dataSource("jdbc:sqlite:" + dataDir.resolve(FILE_NAME).toAbsolutePath(), false);
    }

    private static SQLiteDataSource dataSource(String url, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        // 64 MiB of page cache: a storm touches index pages all over the claims and packets trees.
        config.setCacheSize(-65_536);
        config.setReadOnly(readOnly);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl(url);
        return source;
    }

    /** The single write connection, held by one transaction at a time. */
    private static final class LockedConnection implements WriteConnection {
        private final Connection connection;
        private final ReentrantLock lock = new ReentrantLock();

        LockedConnection(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Connection acquire() {
            lock.lock();
            return connection;
        }

        @Override
        public void release(Connection released) {
            lock.unlock();
        }

        @Override
        public String beginStatement() {
            return "BEGIN IMMEDIATE";
        }

        @Override
        public void close() {
            lock.lock();
            try {
                connection.close();
            } catch (SQLException e) {
                throw new StoreException("cannot close the write connection", e);
            } finally {
                lock.unlock();
            }
        }
    }
}
