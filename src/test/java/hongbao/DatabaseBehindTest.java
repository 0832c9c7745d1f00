package hongbao;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import hongbao.store.jdbc.JdbcStore;
import hongbao.store.postgres.PostgresUrl;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import hongbao.testing.TestStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A SET whose database went back in time under a running node (as when an asynchronous replica that lacked the last
 * commits is promoted): the node knows the journal position it acknowledged, finds the database behind it, and refuses
 * the SET from then on with 503 SET_DATABASE_BEHIND and one log line; no share is handed out again.
 */
class DatabaseBehindTest {
    private TestServer server;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger storeLog = (Logger) LoggerFactory.getLogger(JdbcStore.class);

    @AfterEach
    void stop() {
        storeLog.detachAppender(logged);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSetWhoseDatabaseLostAcknowledgedOpensIsRefusedAndNothingIsHandedOutAgain() throws Exception {
        String url = TestStores.freshPostgresUrl();
        server = TestServer.start(TestServer.config(TestServer.freshDir()).withStore(url));
        logged.start();
        storeLog.addAppender(logged);
        ApiClient alice = server.user("alice");
        ApiClient bob = server.user("bob");
        ApiClient carol = server.user("carol");
        ApiClient dave = server.user("dave");
        server.group("family", List.of("alice", "bob", "carol", "dave"));
        server.deposit("alice", 10_000, "dep-1");
        String packet = alice.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":300,"
                + "\"count\":3}").expectStatus(201).json().get("id").asText();
        bob.post("/v1/packets/" + packet + "/open", null).expectStatus(200);

        // The database loses the journal entry of bob's acknowledged open, as a replica promoted before it arrived.
        execute(url, "DELETE FROM open_journal");

        ApiClient.Response carols = carol.post("/v1/packets/" + packet + "/open", null);
        assertThat(carols.status()).as("carol's open on a database that went back: %s", carols.body()).isEqualTo(503);
        assertThat(carols.errorCode()).isEqualTo("SET_DATABASE_BEHIND");
        for (ApiClient.Response later : List.of(dave.post("/v1/packets/" + packet + "/open", null),
                carol.post("/v1/packets/" + packet + "/open", null), alice.get("/v1/wallet"))) {
            assertThat(later.status()).as("a later request: %s", later.body()).isEqualTo(503);
            assertThat(later.errorCode()).isEqualTo("SET_DATABASE_BEHIND");
        }
        assertThat(new ApiClient(server.baseUrl(), null).get("/ready").status()).isEqualTo(503);

        assertThat(count(url, "SELECT COUNT(*) FROM open_journal")).as("journal entries written after").isZero();
        assertThat(count(url, "SELECT COUNT(*) FROM claims WHERE user_id IN ('carol', 'dave')")).as("shares handed out after")
                .isZero();
        assertThat(logged.list.stream().filter(event -> event.getFormattedMessage().contains("is refused from now on")))
                .as("log lines saying so").hasSize(1);
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection connection = connect(url); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect(String url) throws SQLException {
        PostgresUrl parsed = PostgresUrl.parse(url);
        return DriverManager.getConnection(parsed.jdbc(), parsed.user().orElse(null), parsed.password().orElse(""));
    }
}
