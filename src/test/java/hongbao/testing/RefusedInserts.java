package hongbao.testing;

import hongbao.store.postgres.PostgresStore;
import hongbao.store.sqlite.SqliteStore;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * A trigger in every SET's database of a {@link TestServer} that refuses some inserts into one table, as a full disk
 * refuses them: how a test makes one step of a request fail after the steps before it have committed.
 */
public final class RefusedInserts {
    private RefusedInserts() {
    }

    /**
     * @param sqliteWhen the trigger's condition on SQLite (NEW.column ...), or "1" for every row
     * @param postgresWhen the same on PostgreSQL, or "true"
     */
    public static void install(TestServer server, String table, String sqliteWhen, String postgresWhen) throws SQLException {
        forEachSet(server, (statement, sqlite) -> {
            if (sqlite) {
                statement.execute("CREATE TRIGGER disk_full_" + table + " BEFORE INSERT ON " + table + " WHEN " + sqliteWhen
                        + " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
            } else {
                statement.execute("CREATE OR REPLACE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; END $$");
                statement.execute("CREATE TRIGGER disk_full_" + table + " BEFORE INSERT ON " + table + " FOR EACH ROW WHEN ("
                        + postgresWhen + ") EXECUTE FUNCTION disk_full()");
            }
        });
    }

    /** The disk has room again. */
    public static void remove(TestServer server, String table) throws SQLException {
        forEachSet(server, (statement, sqlite) -> statement.execute("DROP TRIGGER disk_full_" + table
                + (sqlite ? "" : " ON " + table)));
    }

    private interface SetStatement {
        void run(Statement statement, boolean sqlite) throws SQLException;
    }

    private static void forEachSet(TestServer server, SetStatement action) throws SQLException {
        String spec = server.sameData().store();
        List<String> entries = spec == null ? List.of("sqlite") : List.of(spec.split(","));
        for (int set = 0; set < entries.size(); set++) {
            String entry = entries.get(set).trim();
            boolean sqlite = entry.equals("sqlite");
            try (Connection connection = sqlite
                    ? DriverManager.getConnection("jdbc:sqlite:" + SqliteStore.file(server.dataDir, set))
                    : DriverManager.getConnection(PostgresStore.jdbcUrl(entry), user(entry));
                    Statement statement = connection.createStatement()) {
                action.run(statement, sqlite);
            }
        }
    }

    private static Properties user(String url) {
        Properties properties = new Properties();
        String userInfo = URI.create(url).getUserInfo();
        if (userInfo != null) {
            String[] parts = userInfo.split(":", 2);
            properties.setProperty("user", parts[0]);
            if (parts.length == 2) {
                properties.setProperty("password", parts[1]);
            }
        }
        return properties;
    }
}
