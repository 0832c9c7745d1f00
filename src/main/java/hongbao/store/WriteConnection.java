package hongbao.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Hands out the connection a write transaction runs on, and takes it back. */
public interface WriteConnection extends AutoCloseable {
    Connection acquire() throws SQLException;

    void release(Connection connection) throws SQLException;

    /** The statement that opens a write transaction on this database (connections stay in auto-commit mode). */
    String beginStatement();

    @Override
    void close();
}
