package hongbao.store.sql;


import java.sql.Connection;
import java.sql.SQLException;

/** Hands out the connection a write transaction runs on, and takes it back. */
public interface WriteConnection extends AutoCloseable {
    Connection acquire() throws SQLException;

    void release(Connection connection) throws SQLException;

    /** The statement that opens a write transaction on this database (connections stay in auto-commit mode). */
    String beginStatement();

    /**
     * Runs first in every write transaction, after {@link #beginStatement}: a cluster node's connections check its
     * lease here ({@link SetLease#check}), so that a node whose SET was taken over commits nothing more.
     */
    default void begun(Connection transaction) throws SQLException {
    }

    /**
     * Throws unless this node can be sure it still holds the SET: a cluster node whose lease may have run out (its
     * renewals unanswered) serves neither reads nor writes of it, as another node may own it by now.
     */
    default void requireHeld() {
    }

    @Override
    void close();
}
