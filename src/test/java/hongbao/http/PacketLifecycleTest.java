package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The user story of the README, through real HTTP: send, grab, open, view, expire, refund. */
class PacketLifecycleTest {
    private TestServer server;
    private ApiClient alice;
    private ApiClient bob;
    private ApiClient carol;

    @BeforeEach
    void start() {
        server = TestServer.start();
        alice = server.user("alice");
        bob = server.user("bob");
        carol = server.user("carol");
        server.user("dave");
        server.group("family", List.of("alice", "bob", "carol"));
        server.deposit("alice", 100_000, "bank-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String send(ApiClient sender, String body) {
        return sender.post("/v1/packets", body).expectStatus(201).json().get("id").asText();
    }

    private long balance(ApiClient client) {
        server.settleCredits();
        return client.get("/v1/wallet").expectStatus(200).json().get("balance").asLong();
    }

    @Test
    void anExpiredPacketRefundsExactlyItsRemainderOnce() {
        String id = send(alice, "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":3000,\"count\":3}");
        bob.post("/v1/packets/" + id + "/open", null).expectStatus(200);
        assertThat(balance(alice)).isEqualTo(97_000);

        server.clock.advance(Duration.ofHours(24));
        assertThat(carol.post("/v1/packets/" + id + "/open", null).expectStatus(409).errorCode()).isEqualTo("EXPIRED");
        assertThat(server.app.expiryJob().runOnce()).isEqualTo(1);
        assertThat(server.app.expiryJob().runOnce()).isZero();

        assertThat(balance(alice)).isEqualTo(99_000);
        JsonNode view = alice.get("/v1/packets/" + id).expectStatus(200).json();
        assertThat(view.get("status").asText()).isEqualTo("EXPIRED");
        assertThat(view.get("refunded").asLong()).isEqualTo(2000);
        assertThat(bob.get("/v1/packets/" + id).json().get("refunded").isNull()).isTrue();
        assertThat(carol.post("/v1/packets/" + id + "/grab", null).json().get("reason").asText()).isEqualTo("EXPIRED");
        JsonNode items = alice.get("/v1/wallet/transactions").expectStatus(200).json().get("items");
        assertThat(items.get(0).get("kind").asText()).isEqualTo("REFUND");
        assertThat(items.get(0).get("amount").asLong()).isEqualTo(2000);
        assertThat(items.get(0).get("balanceAfter").asLong()).isEqualTo(99_000);
        assertAuditBalanced();
    }

    @Test
    void aRestartedServerStillRefundsPacketsThatExpiredWhileItWasDown() {
        String id = send(alice, "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":3000,\"count\":3}");
        server.app.close();
        try (TestServer again = TestServer.start(server.sameData())) {
            again.clock.advance(Duration.ofHours(25));
            assertThat(again.app.expiryJob().runOnce()).isEqualTo(1);
            JsonNode audit = again.admin.get("/v1/admin/audit").expectStatus(200).json();
            assertThat(audit.get("balanced").asBoolean()).isTrue();
            assertThat(audit.get("escrow").asLong()).isZero();
            assertThat(audit.get("totalUserBalance").asLong()).isEqualTo(100_000);
        }
        server = TestServer.start(server.sameData());
        assertThat(server.app.expiryJob().runOnce()).isZero();
    }

    @Test
    void anOpenAnswersCompactlyAndTheFullViewOnlyWhenAskedFor() {
        String id = send(alice, "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":900,\"count\":3,\"greeting\":\"恭喜发财\"}");
        Map<String, String> key = Map.of("Idempotency-Key", "open-compact-1");
        ApiClient.Response first = bob.post("/v1/packets/" + id + "/open", null, key).expectStatus(200);
        JsonNode opened = first.json();
        List<String> fields = new ArrayList<>();
        opened.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("packetId", "amount", "seq", "credited", "claimStatus", "kind", "senderId",
                "senderName", "greeting", "status", "count", "openedCount");
        assertThat(opened.get("packetId").asText()).isEqualTo(id);
        assertThat(opened.get("seq").asInt()).isEqualTo(1);
        assertThat(opened.get("kind").asText()).isEqualTo("GROUP_LUCKY");
        assertThat(opened.get("senderId").asText()).isEqualTo("alice");
        assertThat(opened.get("greeting").asText()).isEqualTo("恭喜发财");
        assertThat(opened.get("count").asInt()).isEqualTo(3);
        assertThat(opened.get("openedCount").asInt()).isEqualTo(1);
        JsonNode view = bob.get("/v1/packets/" + id).expectStatus(200).json();
        assertThat(view.get("myClaim").get("amount").asLong()).isEqualTo(opened.get("amount").asLong());
        assertThat(view.get("claims")).hasSize(1);

        assertThat(bob.post("/v1/packets/" + id + "/open", null, key).expectStatus(200).body())
                .as("a replay answers the first body").isEqualTo(first.body());
        assertThat(bob.post("/v1/packets/" + id + "/open?view=full", null, key).expectStatus(409).errorCode())
                .as("the same key asking for another view is another request").isEqualTo("IDEMPOTENCY_CONFLICT");
        assertThat(carol.post("/v1/packets/" + id + "/open?view=all", null).expectStatus(400).errorCode())
                .isEqualTo("INVALID_REQUEST");

        Map<String, String> carolsKey = Map.of("Idempotency-Key", "open-full-1");
        ApiClient.Response full = carol.post("/v1/packets/" + id + "/open?view=full", null, carolsKey).expectStatus(200);
        JsonNode packet = full.json().get("packet");
        assertThat(packet.get("id").asText()).isEqualTo(id);
        assertThat(packet.get("claims")).hasSize(2);
        assertThat(packet.get("myClaim").get("seq").asInt()).isEqualTo(full.json().get("seq").asInt());
        assertThat(carol.post("/v1/packets/" + id + "/open?view=full", null, carolsKey).expectStatus(200).body())
                .isEqualTo(full.body());
        assertThat(carol.post("/v1/packets/" + id + "/open", null, carolsKey).expectStatus(409).errorCode())
                .isEqualTo("IDEMPOTENCY_CONFLICT");
    }

    @Test
    void viewsDifferForSenderReceiverAndOthers() {
        String id = send(alice, "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":1000,\"count\":2,\"greeting\":\"恭喜发财\"}");
        JsonNode opened = bob.post("/v1/packets/" + id + "/open", null).expectStatus(200).json();
        long bobAmount = opened.get("amount").asLong();
        assertThat(opened.get("seq").asInt()).isEqualTo(1);
        assertThat(opened.get("credited").asBoolean()).isEqualTo(server.creditedAtOnce(id, "bob"));
        assertThat(opened.has("packet")).as("compact: no view, no claims").isFalse();
        assertThat(opened.get("openedCount").asInt()).isEqualTo(1);
        assertThat(opened.get("status").asText()).isEqualTo("ACTIVE");

        JsonNode carolsView = carol.get("/v1/packets/" + id).expectStatus(200).json();
        assertThat(carolsView.get("myClaim").isNull()).isTrue();
        assertThat(carolsView.get("claims")).hasSize(1);
        assertThat(carolsView.get("refunded").isNull()).isTrue();
        assertThat(carol.post("/v1/packets/" + id + "/grab", null).json().get("available").asBoolean()).isTrue();

        JsonNode carolOpened = carol.post("/v1/packets/" + id + "/open?view=full", null).expectStatus(200).json();
        long carolAmount = carolOpened.get("amount").asLong();
        assertThat(carolOpened.get("packet").get("myClaim").get("amount").asLong()).isEqualTo(carolAmount);
        assertThat(carolOpened.get("packet").get("claims")).hasSize(2);
        assertThat(carolOpened.get("packet").get("refunded").isNull()).isTrue();
        assertThat(bobAmount + carolAmount).isEqualTo(1000);
        assertThat(bob.post("/v1/packets/" + id + "/grab", null).json().get("reason").asText()).isEqualTo("ALREADY_CLAIMED");
        assertThat(alice.post("/v1/packets/" + id + "/grab", null).json().get("reason").asText()).isEqualTo("SNATCHED_OUT");
        assertThat(alice.post("/v1/packets/" + id + "/open", null).expectStatus(409).errorCode()).isEqualTo("SNATCHED_OUT");

        JsonNode sendersView = alice.get("/v1/packets/" + id).expectStatus(200).json();
        assertThat(sendersView.get("status").asText()).isEqualTo("FINISHED");
        assertThat(sendersView.get("refunded").asLong()).isZero();
        assertThat(sendersView.get("finishSeconds").isNumber()).isTrue();
        JsonNode claims = sendersView.get("claims");
        int bestIndex = bobAmount >= carolAmount ? 0 : 1;
        assertThat(claims.get(bestIndex).get("best").asBoolean()).isTrue();
        assertThat(claims.get(1 - bestIndex).get("best").asBoolean()).isFalse();

        assertThat(server.user("dave").get("/v1/packets/" + id).expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
        JsonNode page = carol.get("/v1/groups/family/packets").expectStatus(200).json();
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("items").get(0).get("id").asText()).isEqualTo(id);
        assertAuditBalanced();
    }

    @Test
    void aPersonalPacketIsForItsReceiverOnly() {
        String id = send(alice, "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":520,\"count\":1}");
        assertThat(alice.post("/v1/packets/" + id + "/open", null).expectStatus(403).errorCode()).isEqualTo("FORBIDDEN");
        assertThat(carol.post("/v1/packets/" + id + "/open", null).expectStatus(403).errorCode()).isEqualTo("FORBIDDEN");
        assertThat(carol.get("/v1/packets/" + id).expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(bob.post("/v1/packets/" + id + "/open", null).expectStatus(200).json().get("amount").asLong()).isEqualTo(520);
        assertThat(balance(bob)).isEqualTo(520);
        assertThat(alice.get("/v1/packets/" + id).expectStatus(200).json().get("status").asText()).isEqualTo("FINISHED");
        assertAuditBalanced();
    }

    @Test
    void theSameIdempotencyKeyCreatesOnePacketAndReplaysTheFirstAnswer() {
        String body = "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":300,\"count\":3}";
        Map<String, String> key = Map.of("Idempotency-Key", "send-1");
        ApiClient.Response first = alice.post("/v1/packets", body, key).expectStatus(201);
        ApiClient.Response again = alice.post("/v1/packets", body, key).expectStatus(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(balance(alice)).isEqualTo(99_700);
        assertThat(alice.post("/v1/packets", body.replace("300", "600"), key).expectStatus(409).errorCode())
                .isEqualTo("IDEMPOTENCY_CONFLICT");
        assertThat(balance(alice)).isEqualTo(99_700);
    }

    @Test
    void theSameDepositReferenceIsOneDeposit() {
        server.deposit("bob", 700, "bank-7");
        server.deposit("bob", 700, "bank-7");
        assertThat(balance(bob)).isEqualTo(700);
        assertThat(server.admin.post("/v1/admin/users/bob/deposits", "{\"amount\":900,\"reference\":\"bank-7\"}")
                .expectStatus(409).errorCode()).isEqualTo("IDEMPOTENCY_CONFLICT");
        assertThat(server.admin.post("/v1/admin/users/carol/deposits", "{\"amount\":700,\"reference\":\"bank-7\"}")
                .expectStatus(409).errorCode()).isEqualTo("IDEMPOTENCY_CONFLICT");
        assertThat(balance(bob)).isEqualTo(700);
        assertThat(balance(carol)).isZero();
        assertAuditBalanced();
    }

    @Test
    void opsEndpointsAnswer() {
        ApiClient anonymous = new ApiClient(server.baseUrl(), null);
        assertThat(anonymous.get("/health").expectStatus(200).body()).contains("UP");
        assertThat(anonymous.get("/ready").expectStatus(200).body()).contains("READY");
        String id = send(alice, "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":300,\"count\":3}");
        carol.post("/v1/packets/" + id + "/grab", null).expectStatus(200);
        bob.post("/v1/packets/" + id + "/open", null).expectStatus(200);
        bob.post("/v1/packets/" + id + "/open", null).expectStatus(409);
        bob.post("/v1/packets/" + id + "/grab", null).expectStatus(200);
        String metrics = anonymous.get("/metrics").expectStatus(200).body();
        assertThat(metrics).contains("hongbao_opens_total{outcome=\"ok\"} 1.0", "hongbao_sends_total{outcome=\"ok\"} 1.0",
                "hongbao_grabs_total{outcome=\"available\"} 1.0", "hongbao_grabs_total{outcome=\"already_claimed\"} 1.0",
                "hongbao_batch_size", "hongbao_commit_latency_seconds", "hongbao_queue_depth");
    }

    private void assertAuditBalanced() {
        JsonNode audit = server.admin.get("/v1/admin/audit").expectStatus(200).json();
        assertThat(audit.get("balanced").asBoolean()).as(audit.toString()).isTrue();
        assertThat(audit.get("problems")).isEmpty();
    }
}
