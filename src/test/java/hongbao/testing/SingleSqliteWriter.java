package hongbao.testing;

import hongbao.store.sql.WriteConnection;
import java.sql.Connection;

/**
 * One SQLite connection as a store's writer, for a test that runs on one thread (nothing to lock) and closes the
 * connection itself (closing the writer leaves it open, as a crash test needs).
 */
public record SingleSqliteWriter(Connection connection) implements WriteConnection {
    @Override
    public Connection acquire() {
        return connection;
    }

    @Override
    public void release(Connection released) {
    }

    @Override
    public String beginStatement() {
        return "BEGIN IMMEDIATE";
    }

    @Override
    public void close() {
    }
}
