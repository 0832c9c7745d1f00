package hongbao.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The process that drops a test JVM's databases after it exits does drop them, from within a Surefire fork too. */
class DropTestDatabasesTest {

    @Test
    void theDatabasesAreGoneWhenTheProcessEnds() throws Exception {
        List<String> databases = List.of(database(TestStores.freshPostgresUrl()), database(TestStores.freshPostgresUrl()));
        assertThat(existing(databases)).isEqualTo(2);

        long logged = Files.exists(DropTestDatabases.LOG) ? Files.size(DropTestDatabases.LOG) : 0;

        Process dropping = DropTestDatabases.startFor(TestStores.adminUrl(), databases);

        assertThat(dropping.waitFor(2, TimeUnit.MINUTES)).as("the drops finish").isTrue();
        assertThat(dropping.exitValue()).isZero();
        assertThat(existing(databases)).isZero();
        assertThat(Files.readString(DropTestDatabases.LOG).substring((int) logged)).contains("dropped 2 of 2 test databases");
    }

    private static String database(String url) {
        return URI.create(url).getPath().substring(1);
    }

    private static int existing(List<String> databases) throws Exception {
        URI admin = URI.create(TestStores.adminUrl());
        String jdbc = "jdbc:postgresql://" + admin.getHost() + ":" + admin.getPort() + admin.getPath();
        String user = admin.getUserInfo() == null ? System.getProperty("user.name") : admin.getUserInfo().split(":", 2)[0];
        String password = admin.getUserInfo() != null && admin.getUserInfo().contains(":")
                ? admin.getUserInfo().split(":", 2)[1] : "";
        try (Connection connection = DriverManager.getConnection(jdbc, user, password);
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM pg_database WHERE datname = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("text", databases.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
