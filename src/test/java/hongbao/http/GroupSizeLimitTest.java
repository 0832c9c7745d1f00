package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A group packet has at most one share per member of its group, lucky and equal alike, as in WeChat. */
class GroupSizeLimitTest {
    private TestServer server;
    private ApiClient alice;

    @BeforeEach
    void start() {
        server = TestServer.start();
        alice = server.user("alice");
        server.user("bob");
        server.user("carol");
        server.user("dave");
        server.group("family", List.of("alice", "bob", "carol"));
        server.deposit("alice", 10_000, "bank-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private long balance() {
        return alice.get("/v1/wallet").expectStatus(200).json().get("balance").asLong();
    }

    @Test
    void moreSharesThanMembersIsRefusedNamingTheGroupsSize() {
        for (String kind : new String[] {"GROUP_LUCKY", "GROUP_EQUAL"}) {
            JsonNode error = alice.post("/v1/packets", "{\"kind\":\"" + kind + "\",\"groupId\":\"family\",\"total\":500,"
                    + "\"count\":5}").expectStatus(400).json().get("error");
            assertThat(error.get("code").asText()).as(kind).isEqualTo("LIMIT_EXCEEDED");
            assertThat(error.get("message").asText()).as(kind).contains("count").contains("3 members");
        }
        assertThat(balance()).as("nothing was debited").isEqualTo(10_000);
        assertThat(alice.get("/v1/groups/family/packets").expectStatus(200).json().get("items")).isEmpty();

        alice.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":300,\"count\":3}")
                .expectStatus(201);
        alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":200,\"count\":2}")
                .expectStatus(201);
        assertThat(balance()).isEqualTo(10_000 - 300 - 200);
    }

    @Test
    void theLimitFollowsTheGroupAsItGrows() {
        String fourShares = "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":400,\"count\":4}";
        alice.post("/v1/packets", fourShares).expectStatus(400);
        server.admin.post("/v1/admin/groups/family/members", "{\"userIds\":[\"dave\"]}").expectStatus(200);
        alice.post("/v1/packets", fourShares).expectStatus(201);
    }
}
