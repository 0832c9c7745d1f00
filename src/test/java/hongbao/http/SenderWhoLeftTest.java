package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A member who left a group keeps seeing the packets they sent to it (by id, with who opened them, and in their sent
 * records), as WeChat keeps a sender's own packets; the group's other packets they no longer see.
 */
class SenderWhoLeftTest {
    private TestServer server;
    private ApiClient bob;
    private ApiClient carol;

    @BeforeEach
    void start() {
        server = TestServer.start();
        server.user("alice");
        bob = server.user("bob");
        carol = server.user("carol");
        server.group("family", List.of("alice", "bob", "carol"));
        server.deposit("bob", 10_000, "bank-1");
        server.deposit("carol", 10_000, "bank-2");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String send(ApiClient sender) {
        return sender.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":300,\"count\":3}")
                .expectStatus(201).json().get("id").asText();
    }

    @Test
    void theSenderKeepsSeeingTheirOwnPacketsButNotTheGroupsOthers() {
        String bobsPacket = send(bob);
        String carolsPacket = send(carol);
        server.admin.send("DELETE", "/v1/admin/groups/family/members/bob", null, Map.of()).expectStatus(200);

        carol.post("/v1/packets/" + bobsPacket + "/open", null).expectStatus(200);

        JsonNode own = bob.get("/v1/packets/" + bobsPacket).expectStatus(200).json();
        assertThat(own.get("senderId").asText()).isEqualTo("bob");
        assertThat(own.get("claims")).singleElement().satisfies(claim -> assertThat(claim.get("userId").asText())
                .isEqualTo("carol"));
        JsonNode sent = bob.get("/v1/packets?role=sent").expectStatus(200).json();
        assertThat(sent.get("items")).singleElement().satisfies(item -> {
            assertThat(item.get("packetId").asText()).isEqualTo(bobsPacket);
            assertThat(item.get("openedCount").asInt()).isEqualTo(1);
        });
        assertThat(bob.get("/v1/packets/" + carolsPacket).expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(bob.get("/v1/groups/family/packets").expectStatus(403).errorCode()).isEqualTo("FORBIDDEN");
        assertThat(bob.post("/v1/packets/" + bobsPacket + "/open", null).expectStatus(403).errorCode())
                .as("a group packet is opened by the group's members only").isEqualTo("FORBIDDEN");
    }
}
