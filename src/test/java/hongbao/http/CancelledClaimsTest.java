package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A claim's money as the receiver sees it: CREDITED, PENDING while a third-party payment has not arrived, CANCELLED
 * once the packet is cancelled for want of it. 红包记录's totals count what came or is coming, never a cancelled claim,
 * and every view of the claim (open answer, packet view, inbox, records line) says which it is.
 */
class CancelledClaimsTest {
    private TestServer server;
    private ApiClient alice;
    private ApiClient bob;

    @BeforeEach
    void start() {
        server = TestServer.start();
        alice = server.user("alice");
        bob = server.user("bob");
        server.user("carol");
        server.group("family", List.of("alice", "bob", "carol"));
        server.deposit("alice", 10_000, "bank-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String sendThirdParty(String body) {
        String id = alice.post("/v1/packets", body.replace("}", ",\"payMethod\":\"THIRD_PARTY\"}")).expectStatus(201).json()
                .get("id").asText();
        alice.post("/v1/packets/" + id + "/payment/client-confirm", null).expectStatus(200);
        return id;
    }

    private JsonNode received() {
        return bob.get("/v1/packets?role=received").expectStatus(200).json();
    }

    private static JsonNode line(JsonNode records, String packetId) {
        for (JsonNode item : records.get("items")) {
            if (item.get("packetId").asText().equals(packetId)) {
                return item;
            }
        }
        throw new AssertionError("no line for " + packetId + " in " + records);
    }

    private long balance(ApiClient client) {
        return client.get("/v1/wallet").expectStatus(200).json().get("balance").asLong();
    }

    @Test
    void aCancelledClaimLeavesTheReceivedTotalsAndSaysCancelledEverywhere() {
        server.clock.advance(Duration.ofSeconds(1));
        String paid = alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":200,\"count\":2}")
                .expectStatus(201).json().get("id").asText();
        JsonNode paidOpen = bob.post("/v1/packets/" + paid + "/open", null).expectStatus(200).json();
        server.settleCredits();
        assertThat(paidOpen.get("claimStatus").asText()).isIn("CREDITED", "PENDING");

        server.clock.advance(Duration.ofSeconds(1));
        String unpaid = sendThirdParty("{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":3000,\"count\":3}");
        JsonNode opened = bob.post("/v1/packets/" + unpaid + "/open", null).expectStatus(200).json();
        assertThat(opened.get("amount").asLong()).isEqualTo(1000);
        assertThat(opened.get("claimStatus").asText()).isEqualTo("PENDING");
        server.clock.advance(Duration.ofSeconds(1));
        String personal = sendThirdParty("{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":500,\"count\":1}");
        bob.post("/v1/packets/" + personal + "/open", null).expectStatus(200);

        JsonNode waiting = received();
        assertThat(line(waiting, paid).get("status").asText()).isEqualTo("CREDITED");
        assertThat(line(waiting, unpaid).get("status").asText()).isEqualTo("PENDING");
        assertThat(waiting.get("summary").get("count").asLong()).isEqualTo(3);
        assertThat(waiting.get("summary").get("amount").asLong()).isEqualTo(100 + 1000 + 500);
        assertThat(waiting.get("summary").get("pendingCount").asLong()).isEqualTo(2);
        assertThat(waiting.get("summary").get("pendingAmount").asLong()).isEqualTo(1500);
        assertThat(bob.get("/v1/packets/" + unpaid).expectStatus(200).json().get("myClaim").get("status").asText())
                .isEqualTo("PENDING");

        server.clock.advance(Duration.ofMinutes(15));
        assertThat(server.app.payments().cancelOverdue()).isEqualTo(2);

        JsonNode after = received();
        assertThat(line(after, unpaid).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(line(after, personal).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(line(after, paid).get("status").asText()).isEqualTo("CREDITED");
        JsonNode summary = after.get("summary");
        assertThat(summary.get("count").asLong()).as("only the packet whose money came").isEqualTo(1);
        assertThat(summary.get("amount").asLong()).isEqualTo(100).isEqualTo(balance(bob));
        assertThat(summary.get("pendingCount").asLong()).isZero();
        assertThat(summary.get("pendingAmount").asLong()).isZero();

        JsonNode view = bob.get("/v1/packets/" + unpaid).expectStatus(200).json();
        assertThat(view.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(view.get("myClaim").get("status").asText()).isEqualTo("CANCELLED");
        JsonNode inbox = bob.get("/v1/inbox").expectStatus(200).json().get("items");
        assertThat(inbox).hasSize(1);
        assertThat(inbox.get(0).get("myClaim").get("status").asText()).isEqualTo("CANCELLED");
        JsonNode group = bob.get("/v1/groups/family/packets").expectStatus(200).json().get("items");
        assertThat(group.get(0).get("id").asText()).isEqualTo(unpaid);
        assertThat(group.get(0).get("myClaim").get("status").asText()).isEqualTo("CANCELLED");
        assertThat(group.get(1).get("myClaim").get("status").asText()).isEqualTo("CREDITED");
    }

    @Test
    void aPendingClaimTurnsCreditedWhenTheMoneyArrives() throws Exception {
        JsonNode sent = alice.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":600,\"count\":3,"
                + "\"payMethod\":\"THIRD_PARTY\"}").expectStatus(201).json();
        String id = sent.get("id").asText();
        alice.post("/v1/packets/" + id + "/payment/client-confirm", null).expectStatus(200);
        long amount = bob.post("/v1/packets/" + id + "/open", null).expectStatus(200).json().get("amount").asLong();
        assertThat(line(received(), id).get("status").asText()).isEqualTo("PENDING");

        server.provider().send(List.of(new hongbao.paysim.ProviderSimulator.Notification(
                sent.get("payment").get("paymentId").asText(), 600, true)), hongbao.paysim.ProviderSimulator.Options.ONCE);
        server.reconcile();
        JsonNode records = received();
        assertThat(line(records, id).get("status").asText()).isEqualTo("CREDITED");
        assertThat(records.get("summary").get("pendingCount").asLong()).isZero();
        assertThat(records.get("summary").get("amount").asLong()).isEqualTo(amount).isEqualTo(balance(bob));
        assertThat(bob.get("/v1/packets/" + id).expectStatus(200).json().get("myClaim").get("status").asText())
                .isEqualTo("CREDITED");
    }
}
