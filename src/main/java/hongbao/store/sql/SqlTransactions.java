package hongbao.store.sql;

import hongbao.store.CommitOutcomeUnknown;
import hongbao.store.StoreException;
import hongbao.store.WriteTx;
import hongbao.store.directory.DirectoryChange;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One write transaction on a connection in auto-commit mode: an explicit begin statement, the work, COMMIT (or ROLLBACK
 * if anything throws), and the users and groups it changed told after the commit.
 */
public final class SqlTransactions {
    private SqlTransactions() {
    }

    /**
     * Runs work between an explicit {@code begin} statement and COMMIT on a connection in auto-commit mode (ROLLBACK if
     * it throws). Explicit, so that no connection holds a transaction (or SQLite's write lock) while idle. Public for
     * the benchmark's lock-based designs, which bring their own connections and lock the way they choose.
     */
    public static <T> T inExplicitTransaction(Connection connection, String begin, Function<WriteTx, T> work) {
        // The benchmark's designs write packets and claims, never users or groups: no directory change to tell.
        return inExplicitTransaction(connection, begin, begun -> { }, work, changes -> { });
    }

    /** A statement run first in a transaction, such as a lease check. */
    public interface FirstStatement {
        void run(Connection transaction) throws SQLException;
    }

    /** @param committed told, after COMMIT, of the users and groups the transaction changed */
    public static <T> T inExplicitTransaction(Connection connection, String begin, FirstStatement first,
            Function<WriteTx, T> work, Consumer<List<DirectoryChange>> committed) {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(begin);
        } catch (SQLException e) {
            throw new StoreException("cannot begin: " + e.getMessage(), e);
        }
        SqlWriteTx tx = new SqlWriteTx(connection);
        T result;
        try {
            first.run(connection);
            result = work.apply(tx);
            tx.flush();
            tx.writeEvents();
            tx.announceDirectoryChanges();
            commit(connection);
        } catch (RuntimeException | SQLException e) {
            try {
                execute(connection, "ROLLBACK");
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreException("transaction failed: " + e.getMessage(), e);
        } finally {
            try {
                tx.closeStatements();
            } catch (SQLException e) {
                throw new StoreException("cannot close statements", e);
            }
        }
        committed.accept(tx.directoryChanges());
        return result;
    }

    /** A COMMIT whose connection broke before its answer came may have committed: {@link CommitOutcomeUnknown}. */
    private static void commit(Connection connection) throws SQLException {
        try {
            execute(connection, "COMMIT");
        } catch (SQLException failed) {
            // SQLSTATE class 08, connection exception: the driver lost the connection, not the database's refusal.
            if (failed.getSQLState() != null && failed.getSQLState().startsWith("08")) {
                throw new CommitOutcomeUnknown(failed);
            }
            throw failed;
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
