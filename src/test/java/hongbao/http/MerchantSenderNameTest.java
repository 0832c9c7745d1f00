package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.merchant.MerchantClient;
import hongbao.merchant.MerchantClient.Redpack;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import hongbao.wxpay.SignType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A merchant's packet is shown by its bill's send_name, as WeChat does, in every view a user reads: inbox, packet
 * view, open answer, records and the wallet's lines. The merchant's wallet id ({@code mch.<mchId>}) stays an id.
 */
class MerchantSenderNameTest {
    private static final String MCH = "1900000109";
    private static final String APP = "wxhongbaotest001";
    private static final String KEY = "192006250b4c09247ec02edce69f6a2d";

    private TestServer server;
    private MerchantClient merchant;
    private ApiClient bob;

    @BeforeEach
    void start() {
        server = TestServer.start();
        merchant = server.merchant(MCH, APP, KEY, SignType.MD5);
        bob = server.user("bob");
        server.bindOpenid(MCH, "oBob", "bob");
        server.deposit("mch." + MCH, 10_000, "mch-topup-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyViewOfAMerchantPacketNamesItsSendName() throws Exception {
        MerchantClient.Answer sent = merchant.sendRedpack(new Redpack("B0001", "天虹百货", "oBob", 1_000, "恭喜发财",
                "127.0.0.1", "新年红包", "备注"));
        assertThat(sent.resultCode()).as(sent.body()).isEqualTo("SUCCESS");

        JsonNode inbox = bob.get("/v1/inbox").expectStatus(200).json().get("items");
        assertThat(inbox).hasSize(1);
        String id = inbox.get(0).get("id").asText();
        assertThat(inbox.get(0).get("senderName").asText()).isEqualTo("天虹百货");
        assertThat(inbox.get(0).get("senderId").asText()).isEqualTo("mch." + MCH);

        JsonNode opened = bob.post("/v1/packets/" + id + "/open", null).expectStatus(200).json();
        assertThat(opened.get("senderName").asText()).isEqualTo("天虹百货");
        server.settleCredits();
        assertThat(bob.get("/v1/packets/" + id).expectStatus(200).json().get("senderName").asText()).isEqualTo("天虹百货");
        JsonNode line = bob.get("/v1/packets?role=received").expectStatus(200).json().get("items").get(0);
        assertThat(line.get("senderName").asText()).isEqualTo("天虹百货");
        JsonNode claim = bob.get("/v1/wallet/transactions").expectStatus(200).json().get("items").get(0);
        assertThat(claim.get("kind").asText()).isEqualTo("CLAIM");
        assertThat(claim.get("party").get("kind").asText()).isEqualTo("MERCHANT");
        assertThat(claim.get("party").get("name").asText()).isEqualTo("天虹百货");
        assertThat(claim.get("party").toString()).doesNotContain(MCH);
    }

    @Test
    void aSecondBillWithAnotherSendNameShowsItsOwn() throws Exception {
        merchant.sendRedpack(new Redpack("B0001", "天虹百货", "oBob", 100, "一", "127.0.0.1", "活动", "备注"));
        server.clock.advance(java.time.Duration.ofSeconds(1));
        merchant.sendRedpack(new Redpack("B0002", "天虹超市", "oBob", 100, "二", "127.0.0.1", "活动", "备注"));
        JsonNode inbox = bob.get("/v1/inbox").expectStatus(200).json().get("items");
        assertThat(inbox).hasSize(2);
        assertThat(inbox.get(0).get("senderName").asText()).isEqualTo("天虹超市");
        assertThat(inbox.get(1).get("senderName").asText()).isEqualTo("天虹百货");
    }
}
