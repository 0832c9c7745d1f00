package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /v1/packets?role=received|sent: the caller's 红包记录 of a year, newest first, with the year's totals. */
class RecordsTest {
    private TestServer server;
    private ApiClient alice;
    private ApiClient bob;
    private ApiClient carol;
    private int year;

    @BeforeEach
    void start() {
        server = TestServer.start();
        year = LocalDate.ofInstant(server.clock.instant(), ZoneOffset.UTC).getYear();
        alice = server.user("alice");
        bob = server.user("bob");
        carol = server.user("carol");
        server.group("family", List.of("alice", "bob", "carol"));
        server.deposit("alice", 100_000, "bank-1");
        server.deposit("carol", 100_000, "bank-2");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A second apart: packet ids and claims order records by time only to the millisecond. */
    private String send(ApiClient sender, String body) {
        server.clock.advance(Duration.ofSeconds(1));
        return sender.post("/v1/packets", body).expectStatus(201).json().get("id").asText();
    }

    private void open(ApiClient user, String packet) {
        server.clock.advance(Duration.ofSeconds(1));
        user.post("/v1/packets/" + packet + "/open", null).expectStatus(200);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("packetId").asText()));
        return ids;
    }

    @Test
    void receivedListsTheCallersOpensNewestFirstPageByPageWithTheYearsTotals() {
        String personal = send(alice, "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":100,\"count\":1,\"greeting\":\"for you\"}");
        String equal = send(alice, "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":200,\"count\":2}");
        // Two shares of 1 fen: a tie, which the earliest opener wins, so bob's best luck is certain.
        String tie = send(alice, "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":2,\"count\":2}");
        String unfinished = send(carol, "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":300,\"count\":3}");
        open(bob, personal);
        open(bob, equal);
        open(carol, equal);
        open(bob, tie);
        open(carol, tie);
        open(bob, unfinished);

        JsonNode page1 = bob.get("/v1/packets?role=received&year=" + year + "&limit=3").expectStatus(200).json();
        assertThat(page1.get("role").asText()).isEqualTo("received");
        assertThat(page1.get("year").asInt()).isEqualTo(year);
        assertThat(ids(page1)).containsExactly(unfinished, tie, equal);
        long unfinishedAmount = page1.get("items").get(0).get("amount").asLong();
        JsonNode summary = page1.get("summary");
        assertThat(summary.get("count").asLong()).isEqualTo(4);
        assertThat(summary.get("amount").asLong()).isEqualTo(100 + 100 + 1 + unfinishedAmount);
        // The unfinished lucky packet has no best luck yet, whatever bob's share.
        assertThat(summary.get("bestCount").asLong()).isEqualTo(1);
        JsonNode tieLine = page1.get("items").get(1);
        assertThat(tieLine.get("best").asBoolean()).isTrue();
        assertThat(tieLine.get("senderId").asText()).isEqualTo("alice");
        assertThat(tieLine.get("kind").asText()).isEqualTo("GROUP_LUCKY");
        assertThat(tieLine.get("amount").asLong()).isEqualTo(1);
        assertThat(page1.get("items").get(0).get("best").asBoolean()).isFalse();

        JsonNode page2 = bob.get("/v1/packets?role=received&year=" + year + "&limit=3&before=" + page1.get("next").asText())
                .expectStatus(200).json();
        assertThat(ids(page2)).containsExactly(personal);
        assertThat(page2.get("items").get(0).get("greeting").asText()).isEqualTo("for you");
        assertThat(page2.get("items").get(0).get("amount").asLong()).isEqualTo(100);
        assertThat(page2.get("next").isNull()).isTrue();
        assertThat(page2.get("summary").isNull()).isTrue();

        // Carol lost the tie; her line says so, as the packet's result page does.
        JsonNode carols = carol.get("/v1/packets?role=received").expectStatus(200).json();
        assertThat(ids(carols)).containsExactly(tie, equal);
        assertThat(carols.get("items").get(0).get("best").asBoolean()).isFalse();
        assertThat(carols.get("summary").get("bestCount").asLong()).isZero();
        JsonNode resultPage = carol.get("/v1/packets/" + tie).expectStatus(200).json();
        assertThat(resultPage.get("claims").get(0).get("userId").asText()).isEqualTo("bob");
        assertThat(resultPage.get("claims").get(0).get("best").asBoolean()).isTrue();
    }

    @Test
    void bestLuckCountsEveryFinishedLuckyPacketWonAsTheResultPageShowsIt() {
        List<String> lucky = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String packet = send(alice, "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":500,\"count\":2}");
            open(bob, packet);
            open(carol, packet);
            lucky.add(packet);
        }
        long bobsBest = 0;
        for (String packet : lucky) {
            JsonNode claims = bob.get("/v1/packets/" + packet).expectStatus(200).json().get("claims");
            for (JsonNode claim : claims) {
                if (claim.get("userId").asText().equals("bob") && claim.get("best").asBoolean()) {
                    bobsBest++;
                }
            }
        }
        JsonNode bobs = bob.get("/v1/packets?role=received&limit=2").expectStatus(200).json();
        JsonNode carols = carol.get("/v1/packets?role=received").expectStatus(200).json();
        assertThat(bobs.get("summary").get("bestCount").asLong()).isEqualTo(bobsBest);
        assertThat(carols.get("summary").get("bestCount").asLong()).isEqualTo(5 - bobsBest);
        assertThat(bobs.get("summary").get("amount").asLong() + carols.get("summary").get("amount").asLong())
                .isEqualTo(5 * 500);
    }

    @Test
    void sentListsThePaidPacketsTheCallerSentWithTheYearsTotals() {
        String personal = send(alice, "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":100,\"count\":1}");
        String group = send(alice, "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":300,\"count\":3}");
        // Waiting for the payment provider: no money left alice, so it is no record yet.
        send(alice, "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":400,\"count\":2,\"payMethod\":\"THIRD_PARTY\"}");
        send(carol, "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":700,\"count\":1}");
        open(bob, group);

        JsonNode page1 = alice.get("/v1/packets?role=sent&limit=1").expectStatus(200).json();
        assertThat(ids(page1)).containsExactly(group);
        JsonNode line = page1.get("items").get(0);
        assertThat(line.get("total").asLong()).isEqualTo(300);
        assertThat(line.get("count").asInt()).isEqualTo(3);
        assertThat(line.get("openedCount").asInt()).isEqualTo(1);
        assertThat(line.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(line.get("refunded").asLong()).isZero();
        assertThat(page1.get("summary").get("count").asLong()).isEqualTo(2);
        assertThat(page1.get("summary").get("amount").asLong()).isEqualTo(400);
        JsonNode page2 = alice.get("/v1/packets?role=sent&limit=1&before=" + page1.get("next").asText()).expectStatus(200).json();
        assertThat(ids(page2)).containsExactly(personal);
        JsonNode page3 = alice.get("/v1/packets?role=sent&limit=1&before=" + page2.get("next").asText()).expectStatus(200).json();
        assertThat(ids(page3)).isEmpty();
        assertThat(page3.get("next").isNull()).isTrue();

        // An expired packet shows what came back to the sender.
        server.clock.advance(Duration.ofHours(25));
        server.app.expiryJob().runOnce();
        JsonNode expired = alice.get("/v1/packets?role=sent").expectStatus(200).json().get("items").get(0);
        assertThat(expired.get("status").asText()).isEqualTo("EXPIRED");
        assertThat(expired.get("refunded").asLong()).isEqualTo(200);
    }

    @Test
    void nobodySeesAnotherUsersRecords() {
        String packet = send(alice, "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":100,\"count\":1}");
        open(bob, packet);

        assertThat(ids(carol.get("/v1/packets?role=received").expectStatus(200).json())).isEmpty();
        assertThat(ids(carol.get("/v1/packets?role=sent").expectStatus(200).json())).isEmpty();
        assertThat(ids(alice.get("/v1/packets?role=received").expectStatus(200).json())).isEmpty();
        assertThat(ids(bob.get("/v1/packets?role=sent").expectStatus(200).json())).isEmpty();
        // There is no parameter naming whose records: one given is ignored, and the caller gets their own.
        assertThat(ids(carol.get("/v1/packets?role=received&userId=bob").expectStatus(200).json())).isEmpty();
        assertThat(carol.get("/v1/packets?role=received").expectStatus(200).json().get("summary").get("count").asLong()).isZero();
    }

    @Test
    void aYearIsItsUtcCalendarYearOfOpensForReceivedAndOfSendingForSent() {
        // Ten seconds before the new year: tokens are issued after the jump, as they last 30 days.
        Instant newYear = LocalDate.of(year + 1, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
        server.clock.advance(Duration.between(server.clock.instant(), newYear.minusSeconds(10)));
        ApiClient dave = server.user("dave");
        ApiClient erin = server.user("erin");
        server.deposit("dave", 10_000, "bank-3");
        String packet = dave.post("/v1/packets", "{\"kind\":\"PERSONAL\",\"toUserId\":\"erin\",\"total\":520,\"count\":1}")
                .expectStatus(201).json().get("id").asText();
        server.clock.advance(Duration.ofSeconds(20));
        erin.post("/v1/packets/" + packet + "/open", null).expectStatus(200);

        assertThat(ids(dave.get("/v1/packets?role=sent&year=" + year).expectStatus(200).json())).containsExactly(packet);
        assertThat(ids(dave.get("/v1/packets?role=sent&year=" + (year + 1)).expectStatus(200).json())).isEmpty();
        JsonNode lastYear = erin.get("/v1/packets?role=received&year=" + year).expectStatus(200).json();
        assertThat(ids(lastYear)).isEmpty();
        assertThat(lastYear.get("summary").get("amount").asLong()).isZero();
        JsonNode thisYear = erin.get("/v1/packets?role=received").expectStatus(200).json();
        assertThat(thisYear.get("year").asInt()).isEqualTo(year + 1);
        assertThat(ids(thisYear)).containsExactly(packet);
        assertThat(thisYear.get("summary").get("amount").asLong()).isEqualTo(520);
    }

    @Test
    void badRoleYearCursorOrLimitIsATyped400AndChangesNothing() {
        String packet = send(alice, "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":100,\"count\":1}");
        open(bob, packet);
        // On two SETs Bob's credit crosses through the relay, which may land between the two balance reads below.
        server.app.deliverPendingCredits();
        String before = bob.get("/v1/packets?role=received").expectStatus(200).body();
        long balance = bob.get("/v1/wallet").expectStatus(200).json().get("balance").asLong();

        for (String query : List.of("role=all", "role=RECEIVED", "year=abc", "year=2025", "year=20266", "year=2095",
                "year=-2026", "before=abc", "before=1_", "before=_1", "before=1_2_3", "before=99999999999999999999_1",
                "role=received&before=123", "role=sent&before=1_2", "role=sent&before=abc")) {
            assertThat(bob.get("/v1/packets?" + query).expectStatus(400).errorCode()).as(query).isEqualTo("INVALID_REQUEST");
        }
        assertThat(bob.get("/v1/packets?limit=0").expectStatus(400).errorCode()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(bob.get("/v1/packets?limit=101").expectStatus(400).errorCode()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(new ApiClient(server.baseUrl(), "not-a-token").get("/v1/packets").expectStatus(401).errorCode())
                .isEqualTo("UNAUTHENTICATED");

        assertThat(bob.get("/v1/packets?role=received").expectStatus(200).body()).isEqualTo(before);
        assertThat(bob.get("/v1/wallet").expectStatus(200).json().get("balance").asLong()).isEqualTo(balance);
    }
}
