package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.merchant.MerchantClient;
import hongbao.merchant.MerchantClient.Answer;
import hongbao.merchant.MerchantClient.GroupRedpack;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import hongbao.wxpay.SignType;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * sendgroupredpack: a fission packet of 3-20 random shares in a group of its own, owned by the receiver, who opens one
 * share and shares the rest by adding people to the group; gethbinfo lists everyone who opened one.
 */
class MerchantFissionTest {
    private static final String MCH = MerchantApiTest.MCH;

    private TestServer server;
    private MerchantClient merchant;
    private ApiClient seed;
    private ApiClient friend;
    private ApiClient stranger;

    @BeforeEach
    void start() {
        server = TestServer.start();
        merchant = server.merchant(MCH, MerchantApiTest.APP, MerchantApiTest.KEY, SignType.MD5);
        seed = server.user("seed");
        friend = server.user("friend");
        stranger = server.user("stranger");
        server.bindOpenid(MCH, "oSeed", "seed");
        server.bindOpenid(MCH, "oFriend", "friend");
        server.deposit("mch." + MCH, 10_000, "mch-topup-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static GroupRedpack fission(String billno, long total, int num) {
        return new GroupRedpack(billno, "天虹百货", "oSeed", total, num, "分享给好友", "裂变红包", "备注");
    }

    @Test
    void theSeedOpensOneShareAndSharesTheRestWithWhomeverTheyChoose() throws Exception {
        Answer sent = merchant.sendGroupRedpack(fission("G1", 900, 3));
        assertThat(sent.isSuccess()).as(sent.body()).isTrue();
        String packetId = sent.get("send_listid");
        assertThat(server.merchantBalance(MCH)).isEqualTo(9_100);

        JsonNode seeds = seed.post("/v1/packets/" + packetId + "/open", null).expectStatus(200).json();
        assertThat(seeds.get("kind").asText()).isEqualTo("GROUP_LUCKY");
        assertThat(friend.post("/v1/packets/" + packetId + "/open", null).expectStatus(403).errorCode()).isEqualTo("FORBIDDEN");
        assertThat(friend.post("/v1/packets/" + packetId + "/share", "{\"userIds\":[\"stranger\"]}").expectStatus(404)
                .errorCode()).as("not even visible to someone outside the group").isEqualTo("NOT_FOUND");

        JsonNode shared = seed.post("/v1/packets/" + packetId + "/share", "{\"userIds\":[\"friend\",\"stranger\"]}")
                .expectStatus(200).json();
        assertThat(shared.get("members").toString()).contains("seed", "friend", "stranger");
        assertThat(friend.post("/v1/packets/" + packetId + "/share", "{\"userIds\":[\"seed\"]}").expectStatus(403)
                .errorCode()).as("only the seed shares").isEqualTo("FORBIDDEN");
        long friends = friend.post("/v1/packets/" + packetId + "/open", null).expectStatus(200).json().get("amount").asLong();
        long strangers = stranger.post("/v1/packets/" + packetId + "/open", null).expectStatus(200).json().get("amount")
                .asLong();

        assertThat(seeds.get("amount").asLong() + friends + strangers).isEqualTo(900);
        assertThat(List.of(seeds.get("amount").asLong(), friends, strangers)).allSatisfy(share ->
                assertThat(share).as("WeChat: every share at least 1 yuan").isGreaterThanOrEqualTo(100));
        Answer info = merchant.getHbInfo("G1");
        assertThat(info.fields()).containsEntry("status", "RECEIVED").containsEntry("hb_type", "GROUP")
                .containsEntry("total_num", "3").containsEntry("total_amount", "900");
        assertThat(info.hblist()).extracting(hb -> hb.get("openid")).containsExactly("oSeed", "oFriend", "");
        assertThat(info.hblist().stream().mapToLong(hb -> Long.parseLong(hb.get("amount"))).sum()).isEqualTo(900);
        server.settleCredits();
        JsonNode audit = server.admin.get("/v1/admin/audit").expectStatus(200).json();
        assertThat(audit.get("problems")).isEmpty();
    }

    @Test
    void sharingNeedsAFissionPacketOfOnesOwn() {
        server.group("family", List.of("seed", "friend"));
        server.deposit("seed", 1_000, "seed-1");
        String packetId = seed.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":200,\"count\":2}")
                .expectStatus(201).json().get("id").asText();

        assertThat(seed.post("/v1/packets/" + packetId + "/share", "{\"userIds\":[\"stranger\"]}").expectStatus(403)
                .errorCode()).as("an admin's group has no owner").isEqualTo("FORBIDDEN");
        assertThat(seed.post("/v1/packets/" + packetId + "/share", "{\"userIds\":[]}").expectStatus(400).errorCode())
                .isEqualTo("LIMIT_EXCEEDED");
    }

    @Test
    void fissionLimitsAreWeChats() throws Exception {
        assertThat(merchant.sendGroupRedpack(fission("G2", 1_000, 2)).errCode()).isEqualTo("PARAM_ERROR");
        assertThat(merchant.sendGroupRedpack(fission("G2", 1_000, 21)).errCode()).isEqualTo("PARAM_ERROR");
        assertThat(merchant.sendGroupRedpack(fission("G2", 299, 3)).errCode()).isEqualTo("MONEY_LIMIT");
        Map<String, String> fixed = merchant.params(fission("G2", 900, 3));
        fixed.put("amt_type", "FIX");
        assertThat(merchant.post(MerchantClient.SEND_GROUP_REDPACK, merchant.body(fixed)).errCode()).isEqualTo("PARAM_ERROR");

        assertThat(merchant.sendGroupRedpack(fission("G2", 2_000, 20)).isSuccess()).as("20 shares of 1 yuan").isTrue();
        assertThat(server.merchantBalance(MCH)).isEqualTo(8_000);
    }

    @Test
    void aRetryOfTheBillFindsItsGroupAndAnotherReceiverIsAFatalError() throws Exception {
        assertThat(merchant.sendGroupRedpack(fission("G3", 30_000, 3)).errCode()).isEqualTo("NOTENOUGH");
        GroupRedpack forFriend = new GroupRedpack("G3", "天虹百货", "oFriend", 30_000, 3, "分享给好友", "裂变红包", "备注");
        assertThat(merchant.sendGroupRedpack(forFriend).errCode()).isEqualTo("FATAL_ERROR");

        server.deposit("mch." + MCH, 20_000, "mch-topup-2");
        Answer retried = merchant.sendGroupRedpack(fission("G3", 30_000, 3));

        assertThat(retried.isSuccess()).as(retried.body()).isTrue();
        JsonNode view = seed.get("/v1/packets/" + retried.get("send_listid")).expectStatus(200).json();
        assertThat(view.get("groupId").asText()).isEqualTo("fission." + MCH + ".G3");
        assertThat(StreamSupport.stream(view.get("claims").spliterator(), false).count()).isZero();
    }
}
