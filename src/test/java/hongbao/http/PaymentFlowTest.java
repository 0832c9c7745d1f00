package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.paysim.ProviderSimulator;
import hongbao.paysim.ProviderSimulator.Corruption;
import hongbao.paysim.ProviderSimulator.Delivery;
import hongbao.paysim.ProviderSimulator.Notification;
import hongbao.paysim.ProviderSimulator.Options;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Third-party payment over HTTP with the provider simulator: pay_status 0 → 2 → 1, claims credited only once the
 * money has arrived, the provider's duplicates, forgeries and wrong amounts, timeouts, failures and late payments.
 */
class PaymentFlowTest {
    private TestServer server;
    private ApiClient alice;
    private ApiClient bob;
    private ApiClient carol;
    private ProviderSimulator provider;

    @BeforeEach
    void start() {
        server = TestServer.start();
        alice = server.user("alice");
        bob = server.user("bob");
        carol = server.user("carol");
        server.group("family", List.of("alice", "bob", "carol"));
        provider = server.provider();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode sendThirdParty(long total, int count) {
        return alice.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":" + total + ",\"count\":"
                + count + ",\"payMethod\":\"THIRD_PARTY\"}").expectStatus(201).json();
    }

    private Delivery notify(String paymentId, long amount, boolean success, Corruption corruption) throws Exception {
        return provider.send(List.of(new Notification(paymentId, amount, success)), Options.ONCE.withCorruption(corruption))
                .get(0);
    }

    /** hongbao_payments_waiting and hongbao_refunds_due from /metrics, counted afresh. */
    private List<Double> backlogGauges() throws Exception {
        server.app.countPaymentBacklog();
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.baseUrl() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return List.of(gauge(metrics, "hongbao_payments_waiting"), gauge(metrics, "hongbao_refunds_due"));
    }

    private static double gauge(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(
                line.substring(name.length() + 1))).findFirst().orElseThrow(() -> new AssertionError(name + " not in /metrics"));
    }

    private long balance(ApiClient client) {
        return client.get("/v1/wallet").expectStatus(200).json().get("balance").asLong();
    }

    private JsonNode view(ApiClient client, String id) {
        return client.get("/v1/packets/" + id).expectStatus(200).json();
    }

    private JsonNode audit() {
        JsonNode audit = server.admin.get("/v1/admin/audit").expectStatus(200).json();
        assertThat(audit.get("problems")).as(audit.toString()).isEmpty();
        return audit;
    }

    @Test
    void claimsWaitUncreditedUntilTheProvidersMoneyArrives() throws Exception {
        JsonNode sent = sendThirdParty(600, 3);
        String id = sent.get("id").asText();
        String paymentId = sent.get("payment").get("paymentId").asText();
        assertThat(sent.get("payment").get("amount").asLong()).isEqualTo(600);
        assertThat(sent.get("status").asText()).isEqualTo("UNPAID");
        assertThat(sent.get("payStatus").asInt()).isZero();
        assertThat(balance(alice)).as("nothing is debited from the wallet").isZero();

        assertThat(bob.post("/v1/packets/" + id + "/open", null).expectStatus(409).errorCode()).isEqualTo("NOT_PAYABLE");
        assertThat(bob.post("/v1/packets/" + id + "/payment/client-confirm", null).expectStatus(403).errorCode())
                .isEqualTo("FORBIDDEN");
        JsonNode confirmed = alice.post("/v1/packets/" + id + "/payment/client-confirm", null).expectStatus(200).json();
        assertThat(confirmed.get("payStatus").asInt()).isEqualTo(2);
        assertThat(confirmed.get("status").asText()).isEqualTo("ACTIVE");

        JsonNode opened = bob.post("/v1/packets/" + id + "/open", null).expectStatus(200).json();
        long bobAmount = opened.get("amount").asLong();
        assertThat(opened.get("credited").asBoolean()).as("no fen before the money arrives").isFalse();
        server.reconcile();
        assertThat(balance(bob)).isZero();
        assertThat(view(bob, id).get("myClaim").get("credited").asBoolean()).isFalse();
        long transfersBefore = audit().get("transfers").asLong();

        Delivery wrongAmount = notify(paymentId, 600, true, Corruption.WRONG_AMOUNT);
        assertThat(wrongAmount.status()).isEqualTo(400);
        assertThat(wrongAmount.returnCode()).isEqualTo("FAIL");
        assertThat(notify(paymentId, 600, true, Corruption.SIGNATURE).status()).isEqualTo(401);
        assertThat(notify(paymentId, 600, true, Corruption.TAMPERED_AMOUNT).status()).isEqualTo(401);
        assertThat(notify("hb1", 600, true, Corruption.NONE).status()).as("unknown payment").isEqualTo(400);
        assertThat(notify("not-ours", 600, true, Corruption.NONE).status()).as("not a payment id of ours").isEqualTo(400);
        assertThat(view(alice, id).get("payStatus").asInt()).as("refused notifications change nothing").isEqualTo(2);
        assertThat(audit().get("transfers").asLong()).isEqualTo(transfersBefore);

        Delivery paid = notify(paymentId, 600, true, Corruption.NONE);
        assertThat(paid.status()).isEqualTo(200);
        assertThat(paid.returnCode()).isEqualTo("SUCCESS");
        assertThat(view(alice, id).get("payStatus").asInt()).isEqualTo(1);
        server.reconcile();
        assertThat(balance(bob)).as("credited once the money arrived").isEqualTo(bobAmount);
        assertThat(view(bob, id).get("myClaim").get("credited").asBoolean()).isTrue();

        Delivery duplicate = notify(paymentId, 600, true, Corruption.NONE);
        assertThat(duplicate.status()).isEqualTo(200);
        assertThat(duplicate.returnCode()).isEqualTo("SUCCESS");
        server.clock.advance(Duration.ofSeconds(6));
        server.reconcile();
        assertThat(balance(bob)).as("a duplicate and the second pass credit nothing more").isEqualTo(bobAmount);

        JsonNode carols = carol.post("/v1/packets/" + id + "/open", null).expectStatus(200).json();
        assertThat(carols.get("credited").asBoolean()).isEqualTo(server.creditedAtOnce(id, "carol"));
        server.settleCredits();
        assertThat(balance(carol)).isEqualTo(carols.get("amount").asLong());
        JsonNode audit = audit();
        assertThat(audit.get("external").asLong()).as("the provider's money entered once").isEqualTo(-600);
        assertThat(audit.get("totalUserBalance").asLong() + audit.get("escrow").asLong()).isEqualTo(600);
    }

    @Test
    void withoutMoneyInTimeThePacketIsCancelledAndALatePaymentIsOwedBack() throws Exception {
        JsonNode sent = sendThirdParty(300, 3);
        String id = sent.get("id").asText();
        assertThat(backlogGauges()).as("waiting, refunds due").containsExactly(1.0, 0.0);
        alice.post("/v1/packets/" + id + "/payment/client-confirm", null).expectStatus(200);
        bob.post("/v1/packets/" + id + "/open", null).expectStatus(200);

        server.clock.advance(Duration.ofMinutes(14));
        assertThat(server.app.payments().cancelOverdue()).isZero();
        server.clock.advance(Duration.ofMinutes(1));
        assertThat(server.app.payments().cancelOverdue()).isEqualTo(1);
        assertThat(backlogGauges()).as("waiting, refunds due").containsExactly(0.0, 0.0);

        JsonNode bobsView = view(bob, id);
        assertThat(bobsView.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(bobsView.get("myClaim").get("credited").asBoolean()).isFalse();
        assertThat(carol.post("/v1/packets/" + id + "/open", null).expectStatus(409).errorCode()).isEqualTo("NOT_PAYABLE");
        assertThat(alice.post("/v1/packets/" + id + "/payment/client-confirm", null).expectStatus(409).errorCode())
                .isEqualTo("NOT_PAYABLE");

        Delivery late = notify(sent.get("payment").get("paymentId").asText(), 300, true, Corruption.NONE);
        assertThat(late.returnCode()).as("the provider is told it was received").isEqualTo("SUCCESS");
        server.reconcile();
        assertThat(view(alice, id).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(balance(bob)).as("a voided claim is never credited").isZero();
        JsonNode refunds = server.admin.get("/v1/admin/payments/refunds-due").expectStatus(200).json().get("items");
        assertThat(refunds).hasSize(1);
        assertThat(refunds.get(0).get("paymentId").asText()).isEqualTo(sent.get("payment").get("paymentId").asText());
        assertThat(refunds.get(0).get("amount").asLong()).isEqualTo(300);
        assertThat(backlogGauges()).as("waiting, refunds due").containsExactly(0.0, 1.0);
        JsonNode audit = audit();
        assertThat(audit.get("external").asLong()).as("money owed back is not kept").isZero();
    }

    @Test
    void aFailureNotificationCancelsAndANotificationBeforeTheClientConfirmActivates() throws Exception {
        JsonNode failing = sendThirdParty(200, 2);
        Delivery failed = notify(failing.get("payment").get("paymentId").asText(), 200, false, Corruption.NONE);
        assertThat(failed.returnCode()).isEqualTo("SUCCESS");
        assertThat(view(alice, failing.get("id").asText()).get("status").asText()).isEqualTo("CANCELLED");

        JsonNode early = sendThirdParty(200, 2);
        String id = early.get("id").asText();
        notify(early.get("payment").get("paymentId").asText(), 200, true, Corruption.NONE);
        JsonNode paid = view(alice, id);
        assertThat(paid.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(paid.get("payStatus").asInt()).isEqualTo(1);
        JsonNode confirmedLate = alice.post("/v1/packets/" + id + "/payment/client-confirm", null).expectStatus(200).json();
        assertThat(confirmedLate.get("payStatus").asInt()).as("a late client confirm does not step back").isEqualTo(1);
        JsonNode opened = bob.post("/v1/packets/" + id + "/open", null).expectStatus(200).json();
        assertThat(opened.get("credited").asBoolean()).isEqualTo(server.creditedAtOnce(id, "bob"));
        server.settleCredits();
        assertThat(balance(bob)).isEqualTo(opened.get("amount").asLong());
        audit();
    }

    @Test
    void aBalancePacketNeedsNoPaymentAndTheNotifyEndpointRefusesGarbage() throws Exception {
        java.net.http.HttpResponse<String> garbage = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/v1/payments/notify"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"not\":\"xml\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("<return_code><![CDATA[FAIL]]></return_code>");
        assertThat(Set.of("application/xml; charset=UTF-8")).contains(garbage.headers().firstValue("Content-Type").orElseThrow());
        server.deposit("alice", 500, "dep-1");
        JsonNode balancePacket = alice.post("/v1/packets",
                "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":300,\"count\":3}").expectStatus(201).json();
        assertThat(balancePacket.has("payment")).isFalse();
        assertThat(balancePacket.get("payStatus").asInt()).isEqualTo(1);
    }
}
