package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.SseStream;
import hongbao.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event log (docs/events.md) through GET /v1/events and GET /v1/events/stream: every change records its event
 * once, a refused change none, and a user sees exactly the events of their packets, wallet and current groups.
 */
class EventsTest {
    private TestServer server;
    private ApiClient alice;
    private ApiClient bob;
    private ApiClient carol;
    private ApiClient dave;

    @BeforeEach
    void start() {
        server = TestServer.start();
        alice = server.user("alice");
        bob = server.user("bob");
        carol = server.user("carol");
        dave = server.user("dave");
        server.group("family", List.of("alice", "bob", "carol"));
        server.deposit("alice", 10_000, "bank-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String sendToFamily(String kind, long total, int count) {
        return alice.post("/v1/packets", "{\"kind\":\"" + kind + "\",\"groupId\":\"family\",\"total\":" + total
                + ",\"count\":" + count + "}").expectStatus(201).json().get("id").asText();
    }

    /** Every event the user may see, page by page, each page starting at the last one's next. */
    private static List<JsonNode> allEvents(ApiClient user) {
        List<JsonNode> events = new ArrayList<>();
        String after = null;
        while (true) {
            JsonNode page = user.get("/v1/events?limit=2" + (after == null ? "" : "&after=" + after)).expectStatus(200).json();
            page.get("items").forEach(events::add);
            if (page.get("items").isEmpty()) {
                return events;
            }
            after = page.get("next").asText();
        }
    }

    private static List<String> typesOf(List<JsonNode> events, String packetId) {
        return events.stream().filter(e -> packetId == null ? e.get("packetId").isNull() : packetId.equals(e.get("packetId").asText()))
                .map(e -> e.get("type").asText()).toList();
    }

    @Test
    void everyChangeRecordsItsEventOnceAndARefusedChangeNone() {
        String lucky = sendToFamily("GROUP_LUCKY", 300, 2);
        JsonNode bobOpened = bob.post("/v1/packets/" + lucky + "/open", null).expectStatus(200).json();
        carol.post("/v1/packets/" + lucky + "/open", null).expectStatus(200);
        alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":20000,\"count\":2}")
                .expectStatus(409);
        server.admin.post("/v1/admin/users/alice/withdrawals", "{\"amount\":100,\"reference\":\"out-1\"}").expectStatus(201);
        server.admin.post("/v1/admin/users/alice/withdrawals", "{\"amount\":100000,\"reference\":\"out-2\"}").expectStatus(409);

        List<JsonNode> seen = allEvents(alice);
        assertThat(typesOf(seen, lucky)).containsExactly("packet.sent", "packet.opened", "packet.opened", "packet.finished");
        assertThat(typesOf(seen, null)).containsExactlyInAnyOrder("deposit", "withdrawal");
        assertThat(seen).hasSize(6);
        assertThat(seen.stream().map(e -> e.get("id").asText()).distinct()).hasSize(6);
        JsonNode firstOpen = seen.stream().filter(e -> e.get("type").asText().equals("packet.opened")).findFirst().orElseThrow();
        assertThat(firstOpen.get("data").get("userId").asText()).isEqualTo("bob");
        assertThat(firstOpen.get("data").get("amount").asLong()).isEqualTo(bobOpened.get("amount").asLong());
        assertThat(firstOpen.get("data").get("seq").asInt()).isEqualTo(1);
        JsonNode finished = seen.stream().filter(e -> e.get("type").asText().equals("packet.finished")).findFirst().orElseThrow();
        assertThat(finished.get("data").get("bestLuck").get("amount").asLong())
                .isEqualTo(Math.max(bobOpened.get("amount").asLong(), 300 - bobOpened.get("amount").asLong()));
        JsonNode withdrawal = seen.stream().filter(e -> e.get("type").asText().equals("withdrawal")).findFirst().orElseThrow();
        assertThat(withdrawal.get("data").get("amount").asLong()).isEqualTo(100);
    }

    @Test
    void aUserSeesTheirPacketsTheirWalletAndTheirGroupsNothingElse() {
        String lucky = sendToFamily("GROUP_EQUAL", 200, 2);
        bob.post("/v1/packets/" + lucky + "/open", null).expectStatus(200);
        String personal = dave.post("/v1/packets", "{\"kind\":\"PERSONAL\",\"toUserId\":\"carol\",\"total\":1,\"count\":1}").expectStatus(409)
                .body();
        server.deposit("dave", 500, "bank-dave");
        String toCarol = dave.post("/v1/packets", "{\"kind\":\"PERSONAL\",\"toUserId\":\"carol\",\"total\":100,\"count\":1}")
                .expectStatus(201).json().get("id").asText();

        server.settleCredits();
        List<JsonNode> bobs = allEvents(bob);
        // With several SETs bob's wallet may be in another one: the relay's credit is then his event too.
        List<String> bobsTypes = server.creditedAtOnce(lucky, "bob") ? List.of("packet.sent", "packet.opened")
                : List.of("packet.sent", "packet.opened", "packet.credited");
        assertThat(typesOf(bobs, lucky)).containsExactlyInAnyOrderElementsOf(bobsTypes);
        assertThat(bobs).hasSize(bobsTypes.size());
        List<JsonNode> daves = allEvents(dave);
        assertThat(typesOf(daves, toCarol)).containsExactly("packet.sent");
        assertThat(typesOf(daves, null)).containsExactly("deposit");
        assertThat(daves).hasSize(2);
        List<JsonNode> carols = allEvents(carol);
        assertThat(typesOf(carols, toCarol)).containsExactly("packet.sent");
        assertThat(typesOf(carols, null)).isEmpty();
        assertThat(personal).contains("INSUFFICIENT_BALANCE");
    }

    @Test
    void aMemberWhoLeftMidStreamGetsNothingMoreOfTheGroup() {
        try (SseStream bobs = bob.eventStream(null); SseStream carols = carol.eventStream(null)) {
            assertThat(bobs.status).isEqualTo(200);
            String before = sendToFamily("GROUP_EQUAL", 200, 2);
            bobs.await(f -> f.data().get("packetId").asText().equals(before));
            server.admin.send("DELETE", "/v1/admin/groups/family/members/bob", null, Map.of()).expectStatus(200);
            bobs.await(f -> f.type().equals("group.member_left"));

            String after = sendToFamily("GROUP_EQUAL", 200, 2);
            carol.post("/v1/packets/" + after + "/open", null).expectStatus(200);
            carols.await(f -> f.type().equals("packet.opened") && f.data().get("packetId").asText().equals(after));
            // Carol's stream, on the same node, has passed the group's new events: Bob's has looked at them too by
            // the time it carries a later event of his own.
            String toBob = alice.post("/v1/packets", "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":100,\"count\":1}")
                    .expectStatus(201).json().get("id").asText();
            bobs.await(f -> f.data().get("packetId").asText().equals(toBob));

            assertThat(bobs.received()).noneMatch(f -> f.data().get("packetId").asText().equals(after));
            assertThat(bobs.received()).noneMatch(f -> f.type().equals("deposit") || f.type().equals("withdrawal"));
            assertThat(typesOf(allEvents(bob), after)).isEmpty();
        }
    }

    @Test
    void aStreamResumesAfterTheLastEventItsClientSaw() {
        String first;
        try (SseStream stream = alice.eventStream(null)) {
            String packet = sendToFamily("GROUP_EQUAL", 200, 2);
            first = stream.await(f -> f.type().equals("packet.sent")).id();
            bob.post("/v1/packets/" + packet + "/open", null).expectStatus(200);
            stream.await(f -> f.type().equals("packet.opened"));
        }
        try (SseStream resumed = alice.eventStream(first)) {
            SseStream.Frame next = resumed.await(f -> true);
            assertThat(next.type()).isEqualTo("packet.opened");
            assertThat(next.data().get("data").get("userId").asText()).isEqualTo("bob");
        }
    }

    @Test
    void aCursorFromElsewhereOrNoTokenIsRefused() {
        assertThat(alice.get("/v1/events?after=x.1").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(new ApiClient(server.baseUrl(), "nope").get("/v1/events/stream").expectStatus(401).errorCode())
                .isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void aCursorOlderThanWhatIsKeptIsRefusedWithWhereTheLogsBegin() {
        String stale = alice.get("/v1/events").expectStatus(200).json().get("next").asText();
        // A deposit, not a packet: a packet's expiry would write an event after the clock's jump, which is kept.
        server.deposit("alice", 100, "bank-2");
        server.clock.advance(java.time.Duration.ofDays(8));
        server.app.trimEvents();
        String kept = sendToFamily("GROUP_EQUAL", 200, 2);

        ApiClient.Response refused = alice.get("/v1/events?after=" + stale).expectStatus(410);
        assertThat(refused.errorCode()).isEqualTo("EVENTS_TRIMMED");
        String oldest = refused.json().get("error").get("oldest").asText();
        assertThat(alice.send("GET", "/v1/events/stream", null, Map.of("Last-Event-ID", stale)).expectStatus(410).errorCode())
                .isEqualTo("EVENTS_TRIMMED");

        List<JsonNode> resumed = new ArrayList<>();
        alice.get("/v1/events?after=" + oldest).expectStatus(200).json().get("items").forEach(resumed::add);
        assertThat(resumed).extracting(e -> e.get("packetId").asText()).containsExactly(kept);
        assertThat(alice.get("/v1/events").expectStatus(200).json().get("items")).hasSize(1);
    }

    @Test
    void aCreditToAWalletInAnotherSetIsItsOpenersEventOnceItArrives() {
        server.close();
        server = TestServer.start(TestServer.config(TestServer.freshDir()).withStore(hongbao.testing.TestStores.freshStoreSpec(2)));
        alice = server.user("alice");
        server.deposit("alice", 10_000, "bank-1");
        List<String> crowd = new ArrayList<>(List.of("alice"));
        for (int i = 0; i < 10; i++) {
            server.user("u" + i);
            crowd.add("u" + i);
        }
        server.group("crowd", crowd);
        String packet = alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"crowd\",\"total\":1000,\"count\":10}")
                .expectStatus(201).json().get("id").asText();
        // Ten users' wallets fall in both SETs, so whichever SET the packet is in, one of them is in the other.
        String elsewhere = crowd.stream().skip(1).filter(u -> !server.creditedAtOnce(packet, u)).findFirst().orElseThrow();
        ApiClient opener = server.user(elsewhere);
        String cursor = opener.get("/v1/events").expectStatus(200).json().get("next").asText();
        opener.post("/v1/packets/" + packet + "/open", null).expectStatus(200);
        server.settleCredits();
        server.settleCredits();

        List<JsonNode> seen = new ArrayList<>();
        opener.get("/v1/events?after=" + cursor).expectStatus(200).json().get("items").forEach(seen::add);
        assertThat(typesOf(seen, packet)).containsExactlyInAnyOrder("packet.opened", "packet.credited");
        JsonNode credited = seen.stream().filter(e -> e.get("type").asText().equals("packet.credited")).findFirst().orElseThrow();
        assertThat(credited.get("data").get("userId").asText()).isEqualTo(elsewhere);
        assertThat(credited.get("data").get("amount").asLong()).isEqualTo(100);
        assertThat(typesOf(allEvents(alice), packet)).doesNotContain("packet.credited");
    }
}
