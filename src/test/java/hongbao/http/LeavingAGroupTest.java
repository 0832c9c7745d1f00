package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DELETE /v1/admin/groups/{groupId}/members/{userId}: whoever left a group cannot open its packets any more. */
class LeavingAGroupTest {
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
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String send(int count) {
        return alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":" + (100 * count)
                + ",\"count\":" + count + "}").expectStatus(201).json().get("id").asText();
    }

    private ApiClient.Response leave(String userId) {
        return server.admin.send("DELETE", "/v1/admin/groups/family/members/" + userId, null, java.util.Map.of());
    }

    @Test
    void aMemberWhoLeftCanNeitherOpenNorSeeTheGroupsPacketsButKeepsWhatTheyOpened() {
        String openedBefore = send(3);
        bob.post("/v1/packets/" + openedBefore + "/open", null).expectStatus(200);
        String sentBefore = send(3);

        JsonNode left = leave("bob").expectStatus(200).json();
        assertThat(left.get("members").toString()).doesNotContain("bob").contains("alice", "carol");
        String sentAfter = send(2);

        for (String packet : List.of(sentBefore, sentAfter)) {
            assertThat(bob.post("/v1/packets/" + packet + "/grab", null).expectStatus(403).errorCode()).isEqualTo("FORBIDDEN");
            assertThat(bob.post("/v1/packets/" + packet + "/open", null).expectStatus(403).errorCode()).isEqualTo("FORBIDDEN");
            assertThat(bob.get("/v1/packets/" + packet).expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
        }
        assertThat(bob.get("/v1/packets/" + openedBefore).expectStatus(200).json().get("myClaim").get("amount").asLong())
                .isEqualTo(100);
        server.settleCredits();
        assertThat(bob.get("/v1/wallet").expectStatus(200).json().get("balance").asLong()).isEqualTo(100);
        assertThat(bob.get("/v1/groups/family/packets").expectStatus(403).errorCode()).isEqualTo("FORBIDDEN");
        assertThat(bob.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":100,\"count\":1}")
                .expectStatus(403).errorCode()).isEqualTo("FORBIDDEN");
        carol.post("/v1/packets/" + sentBefore + "/open", null).expectStatus(200);
    }

    @Test
    void leavingSurvivesARestart() {
        String packet = send(2);
        leave("bob").expectStatus(200);
        server.app.close();
        try (TestServer again = TestServer.start(server.sameData())) {
            ApiClient bobAgain = again.user("bob");
            assertThat(bobAgain.post("/v1/packets/" + packet + "/open", null).expectStatus(403).errorCode())
                    .isEqualTo("FORBIDDEN");
        }
        server = TestServer.start(server.sameData());
    }

    @Test
    void removingWhoIsNotAMemberIsRefusedAndChangesNothing() {
        assertThat(leave("dave").expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(server.admin.send("DELETE", "/v1/admin/groups/nogroup/members/bob", null, java.util.Map.of())
                .expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(server.admin.send("DELETE", "/v1/admin/groups/family/members/..", null, java.util.Map.of())
                .status()).isIn(400, 404);
        assertThat(bob.send("DELETE", "/v1/admin/groups/family/members/bob", null, java.util.Map.of()).expectStatus(401)
                .errorCode()).isEqualTo("UNAUTHENTICATED");
        leave("bob").expectStatus(200);
        assertThat(leave("bob").expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
        carol.post("/v1/packets/" + send(1) + "/open", null).expectStatus(200);
    }
}
