package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.merchant.MerchantClient;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import hongbao.wxpay.SignType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /v1/inbox: the personal packets addressed to the caller, newest first, page by page. */
class InboxTest {
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
        server.deposit("carol", 10_000, "bank-2");
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
    void listsOnlyThePersonalPacketsToTheCallerNewestFirstPageByPage() {
        String first = sendPersonal(alice, "bob", 100);
        sendPersonal(alice, "carol", 200);
        String second = sendPersonal(carol, "bob", 300);
        alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":200,\"count\":2}")
                .expectStatus(201);
        String third = sendPersonal(alice, "bob", 400);

        JsonNode page1 = bob.get("/v1/inbox?limit=2").expectStatus(200).json();
        assertThat(ids(page1)).containsExactly(third, second);
        assertThat(page1.get("items").get(0).get("toUserId").asText()).isEqualTo("bob");
        assertThat(page1.get("items").get(0).get("myClaim").isNull()).isTrue();
        String next = page1.get("next").asText();
        JsonNode page2 = bob.get("/v1/inbox?limit=2&before=" + next).expectStatus(200).json();
        assertThat(ids(page2)).containsExactly(first);
        assertThat(page2.get("next").isNull()).isTrue();

        assertThat(ids(alice.get("/v1/inbox").expectStatus(200).json())).isEmpty();
        assertThat(ids(carol.get("/v1/inbox").expectStatus(200).json())).hasSize(1).doesNotContain(first, second, third);
    }

    @Test
    void anOpenedPacketStaysListedWithTheCallersClaim() {
        String packet = sendPersonal(alice, "bob", 188);
        bob.post("/v1/packets/" + packet + "/open", null).expectStatus(200);

        JsonNode item = bob.get("/v1/inbox").expectStatus(200).json().get("items").get(0);
        assertThat(item.get("id").asText()).isEqualTo(packet);
        assertThat(item.get("myClaim").get("amount").asLong()).isEqualTo(188);
        assertThat(item.get("status").asText()).isEqualTo("FINISHED");
    }

    @Test
    void aMerchantsSendredpackPacketIsInTheReceiversInbox() throws Exception {
        String mch = "1900000109";
        MerchantClient merchant = server.merchant(mch, "wxapp", "192006250b4c09247ec02edce69f6a2d", SignType.MD5);
        server.bindOpenid(mch, "oBob", "bob");
        server.deposit("mch." + mch, 10_000, "mch-topup-1");

        String packet = merchant.sendRedpack(MerchantApiTest.redpack("B0001", "oBob", 1_000)).get("send_listid");

        JsonNode item = bob.get("/v1/inbox").expectStatus(200).json().get("items").get(0);
        assertThat(item.get("id").asText()).isEqualTo(packet);
        assertThat(item.get("senderId").asText()).isEqualTo("mch." + mch);
        assertThat(item.get("total").asLong()).isEqualTo(1_000);
    }

    @Test
    void badPagingIsRefusedWithATypedError() {
        assertThat(bob.get("/v1/inbox?before=abc").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(bob.get("/v1/inbox?limit=0").expectStatus(400).errorCode()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(bob.get("/v1/inbox?limit=101").expectStatus(400).errorCode()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(new ApiClient(server.baseUrl(), "not-a-token").get("/v1/inbox").expectStatus(401).errorCode()).isEqualTo("UNAUTHENTICATED");
    }
}
