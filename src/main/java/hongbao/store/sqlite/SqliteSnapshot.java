package hongbao.store.sqlite;

import hongbao.store.StoreException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * An online copy of every SET's SQLite files at one instant. A read transaction fixes a snapshot of one file; to fix
 * every SET's at the same instant, the copy holds every SET's write lock (SQLite's own, which the service's writers
 * wait on) just long enough to begin a read transaction on each, then lets the writers go on and copies the
 * snapshots. So no cross-SET credit is half in the copy (received by one SET's copy, not yet sent in the other's).
 */
public final class SqliteSnapshot {
    /** How long the copy waits for a SET's write lock (one service transaction), like the service's own writers. */
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private SqliteSnapshot() {
    }

    /** What a snapshot holds, read from the copy itself: its last transfer (the ledger's position) and its claims. */
    public record Contents(long lastTransferSeq, long transfers, long claims, long bytes) {
    }

    /** One SET's files: its tables and its journal, where they are and where their copies go. */
    public record SetFiles(Path tables, Path journal, Path tablesCopy, Path journalCopy) {
    }

    /**
     * Copies every SET at one instant. Each journal's snapshot is taken first: whatever its tables' snapshot has not
     * derived yet, the journal's still holds (it is trimmed only behind what is derived), and the copies are sealed so
     * that opening them accepts that pair. Snapshots are read through read-only connections, so that closing them
     * never folds a stopped server's write-ahead log away (see JournalBinding).
     */
    public static void copyAtOneInstant(List<SetFiles> sets) {
        List<Connection> opened = new ArrayList<>();
        try {
            List<Connection> journals = new ArrayList<>();
            for (SetFiles set : sets) {
                journals.add(Files.isRegularFile(set.journal()) ? snapshot(set.journal(), opened) : null);
            }
            List<Connection> locks = new ArrayList<>();
            for (SetFiles set : sets) {
                Connection lock = connect(set.tables(), false, opened);
                execute(lock, "BEGIN IMMEDIATE");
                locks.add(lock);
            }
            List<Connection> tables = new ArrayList<>();
            for (SetFiles set : sets) {
                tables.add(snapshot(set.tables(), opened));
            }
            for (Connection lock : locks) {
                execute(lock, "ROLLBACK");
            }
            for (int i = 0; i < sets.size(); i++) {
                SetFiles set = sets.get(i);
                if (journals.get(i) != null) {
                    copy(journals.get(i), set.journal(), set.journalCopy());
                }
                copy(tables.get(i), set.tables(), set.tablesCopy());
                JournalBinding.sealCopy(set.tablesCopy(), set.journalCopy());
            }
        } catch (SQLException e) {
            throw new StoreException("cannot copy the SETs: " + e.getMessage(), e);
        } finally {
            closeAll(opened);
        }
    }

    /** A read-only connection in a read transaction: the file as it is now, for as long as the connection stays open. */
    private static Connection snapshot(Path file, List<Connection> opened) throws SQLException {
        Connection connection = connect(file, true, opened);
        execute(connection, "BEGIN");
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM sqlite_schema")) {
            rs.next();
        }
        return connection;
    }

    private static Connection connect(Path file, boolean readOnly, List<Connection> opened) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        opened.add(connection);
        return connection;
    }

    /** SQLite's online backup, in one step from the connection's open read transaction: exactly its snapshot. */
    private static void copy(Connection snapshot, Path source, Path target) throws SQLException {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create " + target.getParent() + ": " + e.getMessage(), e);
        }
        int status = ((SQLiteConnection) snapshot).getDatabase().backup("main", target.toAbsolutePath().toString(), null,
                100, 3, -1);
        if (status != 0) {
            throw new StoreException("cannot copy " + source + " to " + target + ": SQLite status " + status, null);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void closeAll(List<Connection> opened) {
        StoreException failure = null;
        for (Connection connection : opened) {
            try {
                connection.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = new StoreException("cannot close a copy's connection: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    public static Contents contents(Path file) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                PreparedStatement query = connection.prepareStatement("SELECT (SELECT seq FROM sqlite_sequence WHERE name = 'transfers'), "
                        + "(SELECT COUNT(*) FROM transfers) + (SELECT COUNT(*) FROM claims_all WHERE ledger_seq IS NOT NULL), "
                        + "(SELECT COUNT(*) FROM claims_all)");
                ResultSet rs = query.executeQuery()) {
            rs.next();
            return new Contents(rs.getLong(1), rs.getLong(2), rs.getLong(3), Files.size(file));
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
