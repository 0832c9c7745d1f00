package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.store.postgres.PostgresStore;
import hongbao.store.sqlite.SqliteStore;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An open whose claim took but whose answer could not be remembered for its Idempotency-Key (a full disk: the
 * database refuses the insert of the remembered answer, which is what a trigger on the idempotency table does here)
 * still answers its share, and a retry with the same key gets the same share back, not 409 ALREADY_CLAIMED.
 */
class OpenAnswerNotRememberedTest {
    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anOpenWhoseAnswerCannotBeSavedStillAnswersItsShareAndItsRetryGetsItBack() throws SQLException {
        ApiClient sender = server.user("s");
        ApiClient receiver = server.user("r");
        server.user("x");
        server.deposit("s", 10_000, "dep-s");
        server.group("g", List.of("s", "r", "x"));
        String packetId = sender.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"g\",\"total\":900,\"count\":3}")
                .expectStatus(201).json().get("id").asText();
        refuseRememberingOpens();

        Map<String, String> key = Map.of("Idempotency-Key", "open-once");
        ApiClient.Response first = receiver.post("/v1/packets/" + packetId + "/open", "", key);
        assertThat(first.status()).as("the open took its share; its answer says so\n%s", first.body()).isEqualTo(200);
        JsonNode share = first.json();

        ApiClient.Response retry = receiver.post("/v1/packets/" + packetId + "/open", "", key);
        assertThat(retry.status()).as("a retry with the same key\n%s", retry.body()).isEqualTo(200);
        // credited (and with it claimStatus, PENDING -> CREDITED) may have changed since (the relay credits a wallet in
        // another SET): they say how things are now.
        assertThat(withoutCreditState(retry.json())).as("the retry's answer is the first one").isEqualTo(withoutCreditState(share));

        JsonNode view = receiver.get("/v1/packets/" + packetId).expectOk().json();
        assertThat(view.get("openedCount").asInt()).as("one share taken, not two").isEqualTo(1);
        assertThat(view.get("myClaim").get("amount").asLong()).isEqualTo(share.get("amount").asLong());
        assertThat(share.get("seq").asInt()).isEqualTo(1);
        assertThat(share.get("openedCount").asInt()).isEqualTo(1);
        assertThat(share.get("status").asText()).isEqualTo("ACTIVE");

        ApiClient.Response withoutKey = receiver.post("/v1/packets/" + packetId + "/open", "");
        assertThat(withoutKey.errorCode()).as("without a key a second open is refused, as API.md says")
                .isEqualTo("ALREADY_CLAIMED");
    }

    private static JsonNode withoutCreditState(JsonNode answer) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = answer.deepCopy();
        copy.remove("credited");
        copy.remove("claimStatus");
        return copy;
    }

    /** Every SET's database refuses to remember an open's answer, as a full disk refuses any insert. */
    private void refuseRememberingOpens() throws SQLException {
        String spec = server.sameData().store();
        List<String> entries = spec == null ? List.of("sqlite") : List.of(spec.split(","));
        for (int set = 0; set < entries.size(); set++) {
            String entry = entries.get(set).trim();
            boolean sqlite = entry.equals("sqlite");
            try (Connection connection = sqlite
                    ? DriverManager.getConnection("jdbc:sqlite:" + SqliteStore.file(server.dataDir, set))
                    : DriverManager.getConnection(PostgresStore.jdbcUrl(entry), user(entry));
                    Statement statement = connection.createStatement()) {
                if (sqlite) {
                    statement.execute("CREATE TRIGGER disk_full BEFORE INSERT ON idempotency WHEN NEW.scope LIKE '%/open' "
                            + "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
                } else {
                    statement.execute("CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                            + "RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; END $$");
                    statement.execute("CREATE TRIGGER disk_full BEFORE INSERT ON idempotency FOR EACH ROW "
                            + "WHEN (NEW.scope LIKE '%/open') EXECUTE FUNCTION disk_full()");
                }
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
