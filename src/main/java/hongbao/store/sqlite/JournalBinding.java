package hongbao.store.sqlite;

import hongbao.store.StoreException;
import hongbao.store.StoreRefused;
import hongbao.store.journal.OpenJournal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Ties a SET's SQLite tables ({@code hongbao.db}) to their journal ({@code journal.db}). Acknowledged opens not yet
 * derived live only in the journal, so a journal deleted, emptied, taken from another data directory or left without
 * its write-ahead log after a crash would silently drop them: the tables alone still balance. Both files carry one
 * random journal id, written when they are first bound; the tables also say whether a server had the journal open
 * (after a stop that did not close it, the last appends may be only in {@code journal.db-wal}); the journal's ops
 * reach at least as far as the tables have derived. A journal that fails any of these is refused in one line.
 */
final class JournalBinding {
    /** Where the operator reads what to do: every refusal ends with it. */
    static final String RECOVERY = "refusing to start, acknowledged opens would be lost "
            + "(recovery: README, \"A lost or replaced journal\")";
    private static final String IDENTITY_TABLE = "CREATE TABLE IF NOT EXISTS journal_identity (id INTEGER PRIMARY KEY "
            + "CHECK (id = 0), journal_id TEXT NOT NULL, op_floor INTEGER NOT NULL, opened_at_ms INTEGER NOT NULL)";

    private final DataSource tables;
    private final Connection journal;

    private JournalBinding(DataSource tables, Connection journal) {
        this.tables = tables;
        this.journal = journal;
    }

    /** What the tables know of their journal. */
    private record Marks(long derivedThrough, String journalId, boolean open) {
    }

    /** What the journal says of itself: its id (null before binding) and the highest op it has ever held. */
    private record Identity(String journalId, long highestOp) {
    }

    /**
     * Checks the journal against its tables before anything opens it for writing, binds a new or pre-binding journal
     * (a data directory from before the binding is bound on its first start), and records that it is open.
     *
     * @throws StoreRefused naming the file, when the journal is not the tables' own whole journal
     */
    static JournalBinding open(DataSource tables, Path journalFile, DataSource journal) {
        Marks marks = marks(tables);
        if (marks.journalId() != null && !requireFiles(journalFile, marks.open())) {
            // Closed cleanly, the tables hold everything the journal did: a new journal loses nothing.
            marks = new Marks(marks.derivedThrough(), null, false);
        }
        Connection connection;
        try {
            connection = journal.getConnection();
        } catch (SQLException e) {
            throw refused(journalFile + " cannot be opened (" + e.getMessage() + ")", e);
        }
        try {
            bind(tables, journalFile, connection, marks);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e instanceof SQLException ? refused(journalFile + " cannot be read as a journal (" + e.getMessage() + ")", e)
                    : (RuntimeException) e;
        }
        return new JournalBinding(tables, connection);
    }

    private static void bind(DataSource tables, Path journalFile, Connection connection, Marks marks) throws SQLException {
        Identity identity = identity(connection, journalFile);
        String journalId = marks.journalId();
        if (journalId == null) {
            journalId = identity.journalId() != null ? identity.journalId() : UUID.randomUUID().toString();
        } else if (identity.journalId() == null) {
            throw refused(journalFile + " carries no journal id, but " + tablesFile(journalFile) + " is bound to journal "
                    + journalId + ": it was emptied or replaced");
        } else if (!identity.journalId().equals(journalId)) {
            throw refused(journalFile + " is journal " + identity.journalId() + " of another data directory; "
                    + tablesFile(journalFile) + " is bound to journal " + journalId);
        }
        if (identity.journalId() != null && identity.highestOp() < marks.derivedThrough()) {
            throw refused(journalFile + " ends at op " + identity.highestOp() + ", behind op " + marks.derivedThrough()
                    + " that " + tablesFile(journalFile) + " derived from it: it is an older copy or lost its -wal");
        }
        markOpen(connection, journalId, identity, marks.derivedThrough());
        bindTables(tables, journalId);
    }

    /**
     * The connection that checked and marked the journal, for the store's journal writer: kept open from the mark on,
     * so the log that holds the mark is never folded away while the tables say the journal is open.
     */
    Connection journalConnection() {
        return journal;
    }

    /**
     * Every file a bound journal needs, looked at before SQLite opens (and so creates) any of them.
     *
     * @return false when journal.db is missing or empty after a clean close, which loses nothing
     */
    private static boolean requireFiles(Path journalFile, boolean leftOpen) {
        Path wal = journalFile.resolveSibling(journalFile.getFileName() + "-wal");
        try {
            boolean gone = !Files.isRegularFile(journalFile) || Files.size(journalFile) == 0;
            if (gone && leftOpen) {
                throw refused(journalFile + " is " + (Files.exists(journalFile) ? "empty (truncated)" : "missing")
                        + " after a stop that did not close it: it held acknowledged opens not yet in "
                        + tablesFile(journalFile));
            }
            // A server that had the journal open always leaves its log: SQLite deletes it only when closing cleanly.
            if (leftOpen && (!Files.isRegularFile(wal) || Files.size(wal) == 0)) {
                throw refused(wal + " is " + (Files.exists(wal) ? "empty" : "missing") + " after a stop that did not close "
                        + "the journal: the last acknowledged opens were in it");
            }
            return !gone;
        } catch (IOException e) {
            throw refused("cannot look at " + journalFile + " (" + e.getMessage() + ")", e);
        }
    }

    private static Identity identity(Connection journal, Path journalFile) throws SQLException {
        try (Statement statement = journal.createStatement()) {
            try (ResultSet check = statement.executeQuery("PRAGMA quick_check")) {
                check.next();
                if (!"ok".equals(check.getString(1))) {
                    throw refused(journalFile + " is damaged (" + check.getString(1) + ")");
                }
            }
            if (!hasTable(statement, "journal_identity")) {
                return new Identity(null, 0);
            }
            long highestOp = 0;
            if (hasTable(statement, "open_journal")) {
                try (ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(op), 0) FROM open_journal")) {
                    rs.next();
                    highestOp = rs.getLong(1);
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT journal_id, op_floor FROM journal_identity")) {
                return rs.next() ? new Identity(rs.getString(1), Math.max(highestOp, rs.getLong(2))) : new Identity(null, 0);
            }
        }
    }

    private static boolean hasTable(Statement statement, String table) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = '"
                + table + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    /**
     * Writes the id into a journal that has none, then a mark of this start: a write, so that the log SQLite keeps
     * until a clean close is never empty while the tables say the journal is open. A journal bound on its first
     * start after the binding began counts ops from what the tables derived (its trimmed rows are gone).
     */
    private static void markOpen(Connection journal, String journalId, Identity identity, long derivedThrough)
            throws SQLException {
        OpenJournal.createSqliteTable(journal);
        try (Statement statement = journal.createStatement()) {
            statement.execute(IDENTITY_TABLE);
        }
        String sql = identity.journalId() == null
                ? "INSERT INTO journal_identity (id, journal_id, op_floor, opened_at_ms) VALUES (0, ?, ?, ?)"
                : "UPDATE journal_identity SET opened_at_ms = ? WHERE id = 0 AND journal_id = ?";
        try (PreparedStatement mark = journal.prepareStatement(sql)) {
            if (identity.journalId() == null) {
                mark.setString(1, journalId);
                mark.setLong(2, derivedThrough);
                mark.setLong(3, System.currentTimeMillis());
            } else {
                mark.setLong(1, System.currentTimeMillis());
                mark.setString(2, journalId);
            }
            mark.executeUpdate();
        }
    }

    private static void bindTables(DataSource tables, String journalId) {
        update(tables, "UPDATE journal_marks SET journal_id = ?, journal_open = 1 WHERE id = 0", journalId);
    }

    /**
     * The journal is closed with everything in it derived: its log may go. Called after the last append, before the
     * journal's last connection closes (which folds the log into journal.db and deletes it).
     */
    void closed() {
        update(tables, "UPDATE journal_marks SET journal_open = 0 WHERE id = 0", null);
    }

    /**
     * A copy of a SET's files taken by {@code backup}: its tables are closed (the copy has no log) and its journal, copied
     * just before the tables, reaches as far as they derived (what it lacks, they hold).
     */
    static void sealCopy(Path tablesFile, Path journalFile) {
        long derivedThrough;
        String url = "jdbc:sqlite:" + tablesFile.toAbsolutePath();
        try (Connection copy = java.sql.DriverManager.getConnection(url); Statement statement = copy.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM pragma_table_info('journal_marks') "
                    + "WHERE name = 'journal_open'")) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    return; // a store last served before the binding: its first start binds it
                }
            }
            statement.execute("UPDATE journal_marks SET journal_open = 0 WHERE id = 0");
            try (ResultSet rs = statement.executeQuery("SELECT derived_through FROM journal_marks")) {
                rs.next();
                derivedThrough = rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot seal the copy " + tablesFile + ": " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(journalFile)) {
            return;
        }
        try (Connection copy = java.sql.DriverManager.getConnection("jdbc:sqlite:" + journalFile.toAbsolutePath());
                Statement statement = copy.createStatement()) {
            if (hasTable(statement, "journal_identity")) {
                statement.execute("UPDATE journal_identity SET op_floor = MAX(op_floor, " + derivedThrough + ")");
            }
        } catch (SQLException e) {
            throw new StoreException("cannot seal the copy " + journalFile + ": " + e.getMessage(), e);
        }
    }

    private static void update(DataSource source, String sql, String journalId) {
        try (Connection connection = source.getConnection(); PreparedStatement update = connection.prepareStatement(sql)) {
            if (journalId != null) {
                update.setString(1, journalId);
            }
            if (update.executeUpdate() != 1) {
                throw new StoreException("journal_marks has no row", null);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot record the journal's binding: " + e.getMessage(), e);
        }
    }

    private static Marks marks(DataSource tables) {
        try (Connection connection = tables.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT derived_through, journal_id, journal_open FROM journal_marks")) {
            rs.next();
            return new Marks(rs.getLong(1), rs.getString(2), rs.getInt(3) == 1);
        } catch (SQLException e) {
            throw new StoreException("cannot read journal_marks: " + e.getMessage(), e);
        }
    }

    private static Path tablesFile(Path journalFile) {
        return journalFile.resolveSibling(SqliteStore.FILE_NAME);
    }

    private static StoreRefused refused(String problem) {
        return refused(problem, null);
    }

    private static StoreRefused refused(String problem, Throwable cause) {
        return new StoreRefused(problem + "; " + RECOVERY, cause);
    }
}
