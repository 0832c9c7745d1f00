package hongbao.sim;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;

/**
 * One of a store's write connections, below the {@code Store} port: every COMMIT sent on it goes through
 * {@link Faults#commitOnConnection}. The store runs its transactions as BEGIN ... COMMIT statements on connections in
 * auto-commit mode, so a COMMIT is always a statement this wrapper sees; nothing in the store knows it is there.
 */
final class FaultyConnection {
    private FaultyConnection() {
    }

    static Connection wrap(Connection connection, String name, Faults faults) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(connection, method, args);
                    if (method.getName().equals("createStatement") && result instanceof Statement statement) {
                        return statement(statement, name, faults);
                    }
                    return result;
                });
    }

    private static Statement statement(Statement statement, String name, Faults faults) {
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("execute") && args != null && args.length == 1
                            && "COMMIT".equalsIgnoreCase(String.valueOf(args[0]).trim())) {
                        faults.commitOnConnection(name, new Faults.SqlCommit() {
                            @Override
                            public void commit() throws java.sql.SQLException {
                                statement.execute("COMMIT");
                            }

                            @Override
                            public void rollBack() throws java.sql.SQLException {
                                statement.execute("ROLLBACK");
                            }
                        });
                        return false;
                    }
                    return invoke(statement, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
