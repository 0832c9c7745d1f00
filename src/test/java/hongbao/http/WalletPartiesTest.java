package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 零钱明细: each wallet line names its other side (微信红包-来自Alice, 发出红包-家人群), by name, never by id alone. */
class WalletPartiesTest {
    private TestServer server;
    private ApiClient alice;
    private ApiClient bob;

    private ApiClient person(String userId, String name) {
        server.admin.post("/v1/admin/users", "{\"userId\":\"" + userId + "\",\"name\":\"" + name + "\"}").expectOk();
        String token = server.admin.post("/v1/admin/users/" + userId + "/tokens", "{\"ttlSeconds\":2592000}")
                .expectStatus(201).json().get("token").asText();
        return new ApiClient(server.baseUrl(), token);
    }

    @BeforeEach
    void start() {
        server = TestServer.start();
        alice = person("alice", "Alice");
        bob = person("bob", "Bob");
        server.admin.post("/v1/admin/groups", "{\"groupId\":\"family\",\"name\":\"家人群\",\"members\":[\"alice\",\"bob\"]}")
                .expectStatus(201);
        server.deposit("alice", 10_000, "bank-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The wallet's lines by kind (each kind once in these scenes): the party's kind and name, or null. */
    private static Map<String, JsonNode> byKind(ApiClient client) {
        Map<String, JsonNode> lines = new HashMap<>();
        client.get("/v1/wallet/transactions").expectStatus(200).json().get("items")
                .forEach(item -> lines.put(item.get("kind").asText(), item.get("party")));
        return lines;
    }

    @Test
    void eachLineNamesTheSenderTheGroupOrTheReceiver() {
        String group = alice.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":300,\"count\":2}")
                .expectStatus(201).json().get("id").asText();
        bob.post("/v1/packets/" + group + "/open", null).expectStatus(200);
        server.settleCredits();
        server.clock.advance(Duration.ofDays(2));
        assertThat(server.app.expiryJob().runOnce()).isEqualTo(1);

        Map<String, JsonNode> alices = byKind(alice);
        assertThat(alices.get("DEPOSIT").isNull()).as("a deposit's other side is the user's bank").isTrue();
        assertThat(alices.get("SEND").get("kind").asText()).isEqualTo("GROUP");
        assertThat(alices.get("SEND").get("name").asText()).isEqualTo("家人群");
        assertThat(alices.get("REFUND").get("name").asText()).isEqualTo("家人群");
        Map<String, JsonNode> bobs = byKind(bob);
        assertThat(bobs.get("CLAIM").get("kind").asText()).isEqualTo("USER");
        assertThat(bobs.get("CLAIM").get("name").asText()).isEqualTo("Alice");
    }

    @Test
    void aPersonalPacketNamesItsReceiverForTheSenderAndItsSenderForTheReceiver() {
        String personal = alice.post("/v1/packets", "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":100,\"count\":1}")
                .expectStatus(201).json().get("id").asText();
        bob.post("/v1/packets/" + personal + "/open", null).expectStatus(200);
        server.settleCredits();
        assertThat(byKind(alice).get("SEND").get("kind").asText()).isEqualTo("USER");
        assertThat(byKind(alice).get("SEND").get("name").asText()).isEqualTo("Bob");
        assertThat(byKind(bob).get("CLAIM").get("name").asText()).isEqualTo("Alice");
    }
}
