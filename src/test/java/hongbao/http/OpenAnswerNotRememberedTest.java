package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.RefusedInserts;
import hongbao.testing.TestServer;
import java.sql.SQLException;
import java.util.Map;
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
        String packetId = server.luckyPacketOfThree();
        ApiClient receiver = server.user("r");
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
        RefusedInserts.install(server, "idempotency", "NEW.scope LIKE '%/open'", "NEW.scope LIKE '%/open'");
    }
}
