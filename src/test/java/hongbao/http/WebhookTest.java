package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.events.EventSettings;
import hongbao.store.events.EventType;
import hongbao.events.WebhookSignature;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import hongbao.testing.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Webhooks to a real HTTP receiver: down, failing, holding, giving up, replayed (docs/events.md). */
class WebhookTest {
    private static final String SECRET = "whsec-test-0123456789";

    private final WebhookReceiver receiver = new WebhookReceiver();
    private TestServer server;
    private ApiClient alice;
    private ApiClient bob;
    private ApiClient carol;

    private void start(Duration giveUpAfter) {
        EventSettings events = EventSettings.DEFAULT.withRetries(giveUpAfter, Duration.ofMillis(100), Duration.ofSeconds(30))
                .withWebhooks(List.of(receiver.url()), SECRET, EnumSet.allOf(EventType.class));
        server = TestServer.start(TestServer.config(TestServer.freshDir()).withEvents(events));
        alice = server.user("alice");
        bob = server.user("bob");
        carol = server.user("carol");
        server.group("family", List.of("alice", "bob", "carol"));
        server.deposit("alice", 10_000, "bank-1");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        receiver.close();
    }

    private String sendAndOpenAll() {
        String packet = alice.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":300,\"count\":2}")
                .expectStatus(201).json().get("id").asText();
        bob.post("/v1/packets/" + packet + "/open", null).expectStatus(200);
        carol.post("/v1/packets/" + packet + "/open", null).expectStatus(200);
        return packet;
    }

    /** An event of the packet's own SET's log (a cross-SET credit, packet.credited, is in the wallet's SET's). */
    private static boolean ofPacketsLog(WebhookReceiver.Delivery delivery, String packetId) {
        return packetId.equals(delivery.event().get("packetId").asText()) && !delivery.type().equals("packet.credited");
    }

    /** The packet's events as the receiver's dedupe by delivery id keeps them: the first taken (2xx) of each. */
    private Map<String, JsonNode> accepted(String packetId) {
        Map<String, JsonNode> byDelivery = new LinkedHashMap<>();
        for (WebhookReceiver.Delivery delivery : receiver.requests()) {
            if (delivery.answered() == 200 && ofPacketsLog(delivery, packetId)) {
                byDelivery.putIfAbsent(delivery.deliveryId(), delivery.event());
            }
        }
        return byDelivery;
    }

    @Test
    void aReceiverThatWasDownThenFailingGetsEverythingInOrderOnceItRecovers() {
        start(Duration.ofHours(1));
        String packet = sendAndOpenAll();
        receiver.answer(500);
        receiver.start();
        receiver.await("three failed attempts", () -> receiver.requests().stream().filter(d -> d.answered() == 500).count() >= 3);
        receiver.answer(200);
        receiver.await("the packet's four events", () -> accepted(packet).size() == 4);

        List<JsonNode> events = List.copyOf(accepted(packet).values());
        assertThat(events).extracting(e -> e.get("type").asText())
                .containsExactly("packet.sent", "packet.opened", "packet.opened", "packet.finished");
        assertThat(events).extracting(e -> e.get("data").has("seq") ? e.get("data").get("seq").asInt() : 0)
                .containsExactly(0, 1, 2, 0);
        for (WebhookReceiver.Delivery delivery : receiver.requests()) {
            assertThat(delivery.deliveryId()).isEqualTo(delivery.event().get("id").asText());
            long signedAt = Long.parseLong(delivery.signature().substring(2, delivery.signature().indexOf(',')));
            assertThat(delivery.signature())
                    .isEqualTo(WebhookSignature.header(SECRET, Instant.ofEpochSecond(signedAt), delivery.body()));
        }
    }

    @Test
    void aReceiverThatNeverAnswersDoesNotHoldUpOpens() {
        start(Duration.ofHours(1));
        receiver.holdRequests();
        receiver.start();
        List<String> packets = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            packets.add(sendAndOpenAll());
        }
        assertThat(receiver.requests()).isEmpty();
        receiver.release();
        receiver.await("every packet's events", () -> packets.stream().allMatch(p -> accepted(p).size() == 4));
    }

    @Test
    void packetsAreDeliveredSideBySideEachInItsOwnOrder() {
        start(Duration.ofHours(1));
        List<String> packets = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            packets.add(sendAndOpenAll());
        }
        // The receiver is not listening yet: delivery fails, and the operator sees since when.
        awaitAdmin("delivery failing", () -> !webhookProgress().get("failingSince").isNull());
        assertThat(webhookProgress().get("backlog").asLong()).as("events not yet delivered").isGreaterThan(0);
        receiver.holdRequests();
        receiver.start();
        receiver.await("requests of several packets waiting at once", () -> receiver.inFlightMax() >= 4);

        receiver.release();
        receiver.await("every packet's events", () -> packets.stream().allMatch(p -> accepted(p).size() == 4));
        for (String packet : packets) {
            assertThat(accepted(packet).values()).extracting(e -> e.get("type").asText())
                    .containsExactly("packet.sent", "packet.opened", "packet.opened", "packet.finished");
        }
        awaitAdmin("the backlog delivered", () -> webhookProgress().get("backlog").asLong() == 0);
        assertThat(webhookProgress().get("failingSince").isNull()).isTrue();
    }

    /** The single SET's progress as the admin endpoint shows it. */
    private JsonNode webhookProgress() {
        return server.admin.get("/v1/admin/webhooks").expectStatus(200).json().get("items").get(0);
    }

    private java.util.Set<String> deliveryIds(String packetId) {
        return receiver.requests().stream().filter(d -> ofPacketsLog(d, packetId))
                .map(WebhookReceiver.Delivery::deliveryId).collect(java.util.stream.Collectors.toSet());
    }

    private List<String> deadLetters() {
        List<String> dead = new java.util.ArrayList<>();
        server.admin.get("/v1/admin/webhooks").expectStatus(200).json().get("items")
                .forEach(set -> set.get("deadLetters").forEach(letter -> dead.add(letter.get("eventId").asText())));
        return dead;
    }

    /** Asks the admin endpoint every 50 ms, for at most 20 s: a give-up happens after the last request, so no request tells of it. */
    private static void awaitAdmin(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    @Test
    void anEventGivenUpOnIsADeadLetterTheOperatorSeesAndReplays() {
        start(Duration.ofMillis(300));
        receiver.answer(500);
        receiver.start();
        String lost = sendAndOpenAll();
        receiver.await("every event of the packet tried", () -> deliveryIds(lost).size() == 4);
        awaitAdmin("the packet's four events given up on", () -> deadLetters().containsAll(deliveryIds(lost)));
        receiver.answer(200);
        String later = sendAndOpenAll();
        receiver.await("the next packet's events", () -> accepted(later).size() == 4);
        assertThat(accepted(lost)).isEmpty();
        assertThat(server.admin.get("/metrics").body()).contains("hongbao_webhook_dead_letters_total");

        String sentEvent = receiver.requests().stream().filter(d -> lost.equals(d.event().get("packetId").asText())
                && d.type().equals("packet.sent")).findFirst().orElseThrow().deliveryId();

        server.admin.post("/v1/admin/webhooks/replay", "{\"url\":\"" + receiver.url() + "\",\"fromEventId\":\"" + sentEvent + "\"}")
                .expectStatus(202);
        receiver.await("the replayed packet's events", () -> accepted(lost).size() == 4);
        assertThat(accepted(lost).values()).extracting(e -> e.get("type").asText())
                .containsExactly("packet.sent", "packet.opened", "packet.opened", "packet.finished");
        assertThat(server.admin.post("/v1/admin/webhooks/replay", "{\"url\":\"http://elsewhere/\",\"fromEventId\":\"evt_0_1\"}")
                .expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
    }
}
