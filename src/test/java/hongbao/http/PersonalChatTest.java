package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /v1/chats/{userId}/packets: the 1:1 chat's red packets, those two people sent each other either way, newest
 * first, page by page; nobody else's.
 */
class PersonalChatTest {
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
        server.group("family", List.of("alice", "bob", "carol"));
        server.deposit("alice", 10_000, "bank-1");
        server.deposit("bob", 10_000, "bank-2");
        server.deposit("carol", 10_000, "bank-3");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A second apart: packet ids order packets by creation time only to the millisecond. */
    private String sendPersonal(ApiClient sender, String to, long total) {
        server.clock.advance(Duration.ofSeconds(1));
        return sender.post("/v1/packets", "{\"kind\":\"PERSONAL\",\"toUserId\":\"" + to + "\",\"total\":" + total
                + ",\"count\":1}").expectStatus(201).json().get("id").asText();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    @Test
    void bothPeopleSeeThePacketsTheySentEachOtherAndNoOneElses() {
        String aliceToBob = sendPersonal(alice, "bob", 100);
        String aliceToCarol = sendPersonal(alice, "carol", 200);
        String bobToAlice = sendPersonal(bob, "alice", 300);
        String carolToBob = sendPersonal(carol, "bob", 400);
        alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":200,\"count\":2}")
                .expectStatus(201);
        String again = sendPersonal(alice, "bob", 500);
        bob.post("/v1/packets/" + aliceToBob + "/open", null).expectStatus(200);

        // The same chat from both ends: the same packets, each with the caller's own view of it.
        JsonNode fromAlice = alice.get("/v1/chats/bob/packets").expectStatus(200).json();
        JsonNode fromBob = bob.get("/v1/chats/alice/packets").expectStatus(200).json();
        assertThat(ids(fromAlice)).containsExactly(again, bobToAlice, aliceToBob);
        assertThat(ids(fromBob)).containsExactly(again, bobToAlice, aliceToBob);
        assertThat(fromAlice.get("next").isNull()).isTrue();
        JsonNode opened = fromBob.get("items").get(2);
        assertThat(opened.get("status").asText()).isEqualTo("FINISHED");
        assertThat(opened.get("myClaim").get("amount").asLong()).isEqualTo(100);
        assertThat(fromAlice.get("items").get(2).get("myClaim").isNull()).isTrue();
        assertThat(fromAlice.get("items").get(2).get("claims").get(0).get("userId").asText()).isEqualTo("bob");

        // Carol, who knows both, sees only her own chats with each: never what Alice and Bob sent each other.
        assertThat(ids(carol.get("/v1/chats/alice/packets").expectStatus(200).json())).containsExactly(aliceToCarol);
        assertThat(ids(carol.get("/v1/chats/bob/packets").expectStatus(200).json())).containsExactly(carolToBob);
        assertThat(ids(alice.get("/v1/chats/carol/packets").expectStatus(200).json())).containsExactly(aliceToCarol);
    }

    @Test
    void olderPacketsComePageByPage() {
        String first = sendPersonal(alice, "bob", 100);
        String second = sendPersonal(bob, "alice", 200);
        String third = sendPersonal(alice, "bob", 300);

        JsonNode page1 = bob.get("/v1/chats/alice/packets?limit=2").expectStatus(200).json();
        assertThat(ids(page1)).containsExactly(third, second);
        JsonNode page2 = bob.get("/v1/chats/alice/packets?limit=2&before=" + page1.get("next").asText()).expectStatus(200).json();
        assertThat(ids(page2)).containsExactly(first);
        assertThat(page2.get("next").isNull()).isTrue();
    }

    @Test
    void aChatWithNobodyOrWithOneselfIsRefusedWithATypedError() {
        assertThat(alice.get("/v1/chats/nobody/packets").expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(alice.get("/v1/chats/alice/packets").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(alice.get("/v1/chats/bob/packets?before=abc").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(alice.get("/v1/chats/bob/packets?limit=101").expectStatus(400).errorCode()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(new ApiClient(server.baseUrl(), "not-a-token").get("/v1/chats/bob/packets").expectStatus(401).errorCode())
                .isEqualTo("UNAUTHENTICATED");
    }
}
