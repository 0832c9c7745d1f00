package hongbao.sim;

import hongbao.store.Fenced;
import hongbao.cluster.SetLease;
import hongbao.store.sql.WriteConnection;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A write connection of the node that took the SET at {@code epoch}: every transaction, the journal's included, first
 * passes the service's fence ({@link SetLease#requireEpoch}), as a cluster node's pooled connections do. SQLite has no
 * row locks, so the check's {@code FOR KEY SHARE} is left out: BEGIN IMMEDIATE holds the file's only write lock for the
 * whole transaction, so no takeover can come between the check and the COMMIT, which is what the lock gives PostgreSQL.
 *
 * @param fenced told when the fence refuses a transaction (the service then stops, exit 3)
 */
record FencedWriter(WriteConnection inner, int set, long epoch, Runnable fenced) implements WriteConnection {
    private static final String ROW_LOCK = " FOR KEY SHARE";

    @Override
    public Connection acquire() throws SQLException {
        return inner.acquire();
    }

    @Override
    public void release(Connection connection) throws SQLException {
        inner.release(connection);
    }

    @Override
    public String beginStatement() {
        return inner.beginStatement();
    }

    @Override
    public void begun(Connection transaction) throws SQLException {
        inner.begun(transaction);
        try {
            SetLease.requireEpoch(withoutRowLocks(transaction), set, epoch);
        } catch (Fenced refused) {
            fenced.run();
            throw refused;
        }
    }

    @Override
    public void close() {
        inner.close();
    }

    private static Connection withoutRowLocks(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && args.length == 1
                            && args[0] instanceof String sql && sql.endsWith(ROW_LOCK)) {
                        args = new Object[] {sql.substring(0, sql.length() - ROW_LOCK.length())};
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
