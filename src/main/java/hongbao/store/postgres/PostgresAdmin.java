package hongbao.store.postgres;

import hongbao.store.StoreException;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/** Creates and drops whole databases on a PostgreSQL server: fresh stores for the benchmark and the tests. */
public final class PostgresAdmin {
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final URI server;

    /** @param serverUrl a {@code postgresql://user@host:port/database} URL of a database to connect to for admin work */
    public PostgresAdmin(String serverUrl) {
        this.server = URI.create(serverUrl);
    }

    /** Creates the database and returns its URL. */
    public String create(String database) {
        run("CREATE DATABASE " + checked(database));
        return server.getScheme() + "://" + server.getRawAuthority() + "/" + database;
    }

    /** Creates the database as a copy of another one that nobody is connected to; returns its URL. */
    public String createFrom(String database, String template) {
        run("CREATE DATABASE " + checked(database) + " TEMPLATE " + checked(template));
        return server.getScheme() + "://" + server.getRawAuthority() + "/" + database;
    }

    public void drop(String database) {
        run("DROP DATABASE IF EXISTS " + checked(database) + " WITH (FORCE)");
    }

    private void run(String sql) {
        String info = server.getUserInfo();
        String user = info == null ? System.getProperty("user.name") : info.split(":", 2)[0];
        String password = info == null || !info.contains(":") ? "" : info.split(":", 2)[1];
        try (Connection connection = DriverManager.getConnection(PostgresStore.jdbcUrl(server.toString()), user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new StoreException(sql + " failed on " + server.getHost() + ": " + e.getMessage(), e);
        }
    }

    private static String checked(String database) {
        if (!NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        return database;
    }
}
