package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.wiring.ServeConfig;
import hongbao.domain.MerchantLimits;
import hongbao.merchant.MerchantClient;
import hongbao.merchant.MerchantClient.Answer;
import hongbao.merchant.MerchantClient.Redpack;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import hongbao.wxpay.SignType;
import hongbao.wxpay.WxSignature;
import hongbao.wxpay.WxXml;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * sendredpack and gethbinfo against a real server with the merchant's own client: a packet from the merchant's
 * wallet to the user behind an openid, its bill's statuses, mch_billno idempotency, the limits and every refusal.
 */
class MerchantApiTest {
    static final String MCH = "1900000109";
    static final String APP = "wxhongbaotest001";
    static final String KEY = "192006250b4c09247ec02edce69f6a2d";

    private TestServer server;
    private MerchantClient merchant;
    private ApiClient bob;

    private void start(ServeConfig config) {
        server = TestServer.start(config);
        merchant = server.merchant(MCH, APP, KEY, SignType.MD5);
        bob = server.user("bob");
        server.user("carol");
        server.bindOpenid(MCH, "oBob", "bob");
        server.bindOpenid(MCH, "oCarol", "carol");
    }

    private void start() {
        start(TestServer.config(TestServer.freshDir()));
    }

    private void startWith(MerchantLimits limits) {
        start(TestServer.config(TestServer.freshDir()).withMerchants(new ServeConfig.MerchantConfig(limits,
                Duration.ofHours(1), 200)));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Redpack redpack(String billno, String openid, long amount) {
        return new Redpack(billno, "天虹百货", openid, amount, "恭喜发财", "127.0.0.1", "新年红包", "备注");
    }

    private JsonNode audit() {
        JsonNode audit = server.admin.get("/v1/admin/audit").expectStatus(200).json();
        assertThat(audit.get("problems")).as(audit.toString()).isEmpty();
        return audit;
    }

    private static void assertRefused(Answer answer, String errCode) {
        assertThat(answer.returnCode()).as(answer.body()).isEqualTo("SUCCESS");
        assertThat(answer.resultCode()).as(answer.body()).isEqualTo("FAIL");
        assertThat(answer.errCode()).as(answer.body()).isEqualTo(errCode);
        assertThat(answer.signed()).isTrue();
    }

    @Test
    void aMerchantPacketReachesTheUserBehindTheOpenidAndItsBillFollowsIt() throws Exception {
        start();
        server.deposit("mch." + MCH, 10_000, "mch-topup-1");

        Answer sent = merchant.sendRedpack(redpack("B0001", "oBob", 1_000));

        assertThat(sent.isSuccess()).as(sent.body()).isTrue();
        assertThat(sent.signed()).isTrue();
        assertThat(sent.fields()).containsEntry("mch_billno", "B0001").containsEntry("mch_id", MCH)
                .containsEntry("wxappid", APP).containsEntry("re_openid", "oBob").containsEntry("total_amount", "1000");
        String packetId = sent.get("send_listid");
        assertThat(server.merchantBalance(MCH)).isEqualTo(9_000);

        JsonNode view = bob.get("/v1/packets/" + packetId).expectStatus(200).json();
        assertThat(view.get("kind").asText()).isEqualTo("PERSONAL");
        assertThat(view.get("senderId").asText()).isEqualTo("mch." + MCH);
        assertThat(view.get("greeting").asText()).isEqualTo("恭喜发财");
        Answer info = merchant.getHbInfo("B0001");
        assertThat(info.isSuccess()).as(info.body()).isTrue();
        assertThat(info.fields()).containsEntry("status", "SENT").containsEntry("detail_id", packetId)
                .containsEntry("hb_type", "NORMAL").containsEntry("send_type", "API").containsEntry("total_num", "1")
                .containsEntry("total_amount", "1000").containsEntry("wishing", "恭喜发财").containsEntry("act_name", "新年红包")
                .containsEntry("remark", "备注").doesNotContainKey("refund_time");
        assertThat(info.hblist()).isEmpty();

        bob.post("/v1/packets/" + packetId + "/open", null).expectStatus(200);
        server.settleCredits();

        assertThat(bob.get("/v1/wallet").expectStatus(200).json().get("balance").asLong()).isEqualTo(1_000);
        Answer received = merchant.getHbInfo("B0001");
        assertThat(received.get("status")).isEqualTo("RECEIVED");
        assertThat(received.hblist()).singleElement().satisfies(hb -> {
            assertThat(hb).containsEntry("openid", "oBob").containsEntry("amount", "1000");
            assertThat(hb.get("rcv_time")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        });
        assertThat(audit().get("external").asLong()).isEqualTo(-10_000);
    }

    @Test
    void theSameBillnoAnswersAsTheFirstTimeAndOtherParametersAreAFatalError() throws Exception {
        start();
        server.deposit("mch." + MCH, 10_000, "mch-topup-1");
        Answer first = merchant.sendRedpack(redpack("B0002", "oBob", 500));

        Answer again = merchant.sendRedpack(redpack("B0002", "oBob", 500));

        assertThat(again.body()).as("a new nonce, the same request: the stored answer").isEqualTo(first.body());
        assertThat(server.merchantBalance(MCH)).isEqualTo(9_500);
        assertRefused(merchant.sendRedpack(redpack("B0002", "oBob", 600)), "FATAL_ERROR");
        assertRefused(merchant.sendRedpack(redpack("B0002", "oCarol", 500)), "FATAL_ERROR");
        assertRefused(merchant.sendGroupRedpack(new MerchantClient.GroupRedpack("B0002", "天虹百货", "oBob", 500, 3, "恭喜发财",
                "新年红包", "备注")), "FATAL_ERROR");
        assertThat(server.merchantBalance(MCH)).isEqualTo(9_500);
    }

    @Test
    void anUnopenedPacketIsRefundedToTheMerchantAfter24Hours() throws Exception {
        start();
        server.deposit("mch." + MCH, 2_000, "mch-topup-1");
        merchant.sendRedpack(redpack("B0003", "oBob", 2_000));
        assertThat(server.merchantBalance(MCH)).isZero();

        server.clock.advance(Duration.ofHours(24));
        assertThat(merchant.getHbInfo("B0003").get("status")).as("expired, not yet refunded").isEqualTo("RFUND_ING");
        server.app.expiryJob().runOnce();

        Answer refunded = merchant.getHbInfo("B0003");
        assertThat(refunded.fields()).containsEntry("status", "REFUND").containsEntry("refund_amount", "2000")
                .containsKey("refund_time");
        assertThat(server.merchantBalance(MCH)).isEqualTo(2_000);
        audit();
    }

    @Test
    void notEnoughMoneyFailsTheBillAndARetryWithTheSameBillnoCompletesIt() throws Exception {
        startWith(new MerchantLimits(100, 20_000, 1, 1800));
        server.deposit("mch." + MCH, 500, "mch-topup-1");

        assertRefused(merchant.sendRedpack(redpack("B0004", "oBob", 1_000)), "NOTENOUGH");
        Answer failed = merchant.getHbInfo("B0004");
        assertThat(failed.get("status")).isEqualTo("FAILED");
        assertThat(failed.get("reason")).contains("deposit");

        server.deposit("mch." + MCH, 500, "mch-topup-2");
        Answer retried = merchant.sendRedpack(redpack("B0004", "oBob", 1_000));

        assertThat(retried.isSuccess()).as(retried.body()).isTrue();
        assertThat(merchant.getHbInfo("B0004").get("status")).isEqualTo("SENT");
        assertThat(server.merchantBalance(MCH)).isZero();
        assertRefused(merchant.sendRedpack(redpack("B0005", "oBob", 100)), "SENDNUM_LIMIT");
        audit();
    }

    @Test
    void aUserGetsAtMostTheDailyNumberOfPacketsFromOneMerchant() throws Exception {
        startWith(new MerchantLimits(100, 20_000, 2, 1800));
        server.deposit("mch." + MCH, 10_000, "mch-topup-1");

        assertThat(merchant.sendRedpack(redpack("D1", "oBob", 100)).isSuccess()).isTrue();
        assertThat(merchant.sendRedpack(redpack("D2", "oBob", 100)).isSuccess()).isTrue();
        assertRefused(merchant.sendRedpack(redpack("D3", "oBob", 100)), "SENDNUM_LIMIT");
        assertThat(merchant.getHbInfo("D3").errCode()).as("a refused send leaves no bill").isEqualTo("NOT_FOUND");
        assertThat(merchant.sendRedpack(redpack("D4", "oCarol", 100)).isSuccess()).as("another user").isTrue();

        server.clock.advance(Duration.ofDays(1));
        assertThat(merchant.sendRedpack(redpack("D5", "oBob", 100)).isSuccess()).as("the next Beijing day").isTrue();
        assertThat(server.merchantBalance(MCH)).isEqualTo(9_600);
    }

    @Test
    void sendsBeyondTheMerchantsRateAreFreqLimitButReplaysAreNot() throws Exception {
        startWith(new MerchantLimits(100, 20_000, 10, 3));
        server.deposit("mch." + MCH, 10_000, "mch-topup-1");
        for (String billno : new String[] {"F1", "F2", "F3"}) {
            assertThat(merchant.sendRedpack(redpack(billno, "oBob", 100)).isSuccess()).isTrue();
        }

        assertRefused(merchant.sendRedpack(redpack("F4", "oBob", 100)), "FREQ_LIMIT");
        assertThat(merchant.sendRedpack(redpack("F1", "oBob", 100)).isSuccess()).as("a replay sends nothing").isTrue();

        server.clock.advance(Duration.ofSeconds(20));
        assertThat(merchant.sendRedpack(redpack("F4", "oBob", 100)).isSuccess()).as("one more after 20 s at 3/min").isTrue();
        assertThat(server.merchantBalance(MCH)).isEqualTo(9_600);
    }

    @Test
    void refusedRequestsChangeNothing() throws Exception {
        start();
        server.deposit("mch." + MCH, 10_000, "mch-topup-1");
        long transfers = audit().get("transfers").asLong();
        MerchantClient forger = new MerchantClient(URI.create(server.baseUrl()), MCH, APP, "x".repeat(32), SignType.MD5);
        MerchantClient stranger = new MerchantClient(URI.create(server.baseUrl()), "1900000999", APP, KEY, SignType.MD5);
        MerchantClient otherApp = new MerchantClient(URI.create(server.baseUrl()), MCH, "wxsomeoneelse", KEY, SignType.MD5);

        Answer forged = forger.sendRedpack(redpack("R1", "oBob", 1_000));
        assertThat(forged.returnCode()).isEqualTo("FAIL");
        assertThat(forged.errCode()).isEqualTo("SIGN_ERROR");
        assertThat(forged.signed()).as("no signature for a request that could not be authenticated").isFalse();
        Answer unknown = stranger.sendRedpack(redpack("R1", "oBob", 1_000));
        assertThat(unknown.returnCode()).isEqualTo("FAIL");
        assertThat(unknown.signed()).isFalse();
        assertRefused(otherApp.sendRedpack(redpack("R1", "oBob", 1_000)), "PARAM_ERROR");
        assertRefused(merchant.sendRedpack(redpack("R1", "oNobody", 1_000)), "OPENID_ERROR");
        assertRefused(merchant.sendRedpack(redpack("R1", "oBob", 99)), "MONEY_LIMIT");
        assertRefused(merchant.sendRedpack(redpack("R1", "oBob", 20_001)), "MONEY_LIMIT");
        assertRefused(merchant.sendRedpack(new Redpack("R1", "天虹百货", "oBob", 1_000, "恭喜发财", "127.0.0.1",
                "an activity name longer than 32 chars", "备注")), "PARAM_ERROR");
        Map<String, String> twoShares = merchant.params(redpack("R1", "oBob", 1_000));
        twoShares.put("total_num", "2");
        assertRefused(merchant.post(MerchantClient.SEND_REDPACK, merchant.body(twoShares)), "PARAM_ERROR");
        Map<String, String> tampered = WxSignature.signed(merchant.params(redpack("R1", "oBob", 100)), KEY, SignType.MD5);
        tampered.put("total_amount", "20000");
        assertThat(merchant.post(MerchantClient.SEND_REDPACK, WxXml.write(tampered)).errCode()).isEqualTo("SIGN_ERROR");

        assertThat(server.merchantBalance(MCH)).isEqualTo(10_000);
        assertThat(audit().get("transfers").asLong()).isEqualTo(transfers);
        assertThat(merchant.getHbInfo("R1").errCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void gethbinfoRefusesWhatIsNotABillQueryOfTheMerchant() throws Exception {
        start();
        Map<String, String> wrongType = merchant.hbInfoParams("B1");
        wrongType.put("bill_type", "MCH");
        Map<String, String> wrongApp = merchant.hbInfoParams("B1");
        wrongApp.put("appid", "wxsomeoneelse");

        assertQueryRefused(merchant.post(MerchantClient.GET_HB_INFO, merchant.body(wrongType)), "PARAM_ERROR");
        assertQueryRefused(merchant.post(MerchantClient.GET_HB_INFO, merchant.body(wrongApp)), "PARAM_ERROR");
        assertQueryRefused(merchant.getHbInfo("B1"), "NOT_FOUND");
    }

    /** gethbinfo answers as WeChat does: its refusals, like its results, carry no signature. */
    private static void assertQueryRefused(Answer answer, String errCode) {
        assertThat(answer.resultCode()).as(answer.body()).isEqualTo("FAIL");
        assertThat(answer.errCode()).as(answer.body()).isEqualTo(errCode);
        assertThat(answer.fields()).doesNotContainKeys("sign", "nonce_str");
    }

    @Test
    void gethbinfoAnswersAreUnsignedAsWeChatsAre() throws Exception {
        start();
        server.deposit("mch." + MCH, 1_000, "mch-topup-1");
        String packetId = merchant.sendRedpack(redpack("U1", "oBob", 1_000)).get("send_listid");
        bob.post("/v1/packets/" + packetId + "/open", null).expectStatus(200);

        Answer info = merchant.getHbInfo("U1");

        assertThat(info.isSuccess()).as(info.body()).isTrue();
        assertThat(info.fields()).doesNotContainKeys("sign", "sign_type", "nonce_str");
        assertThat(info.hblist()).singleElement().satisfies(hb -> assertThat(hb).containsEntry("openid", "oBob"));
    }

    @Test
    void hmacSha256RequestsGetHmacSha256Answers() throws Exception {
        start();
        server.deposit("mch." + MCH, 1_000, "mch-topup-1");
        MerchantClient hmac = new MerchantClient(URI.create(server.baseUrl()), MCH, APP, KEY, SignType.HMAC_SHA256);

        Answer sent = hmac.sendRedpack(redpack("H1", "oBob", 1_000));

        assertThat(sent.isSuccess()).as(sent.body()).isTrue();
        assertThat(sent.get("sign_type")).isEqualTo("HMAC-SHA256");
        assertThat(sent.get("sign")).hasSize(64);
        Answer md5Retry = merchant.sendRedpack(redpack("H1", "oBob", 1_000));
        assertThat(md5Retry.get("send_listid")).as("an MD5 retry of the bill replays it").isEqualTo(sent.get("send_listid"));
        assertThat(md5Retry.fields()).as("signed MD5, as the retry was").doesNotContainKey("sign_type");
        assertThat(md5Retry.get("sign")).hasSize(32);
    }

    @Test
    void anAnswerSignedWithAnotherKeyIsRefusedByTheClient() throws Exception {
        start();
        MerchantClient wrongKey = new MerchantClient(URI.create(server.baseUrl()), MCH, APP, "y".repeat(32), SignType.MD5);
        Answer refused = merchant.sendRedpack(redpack("B1", "oNobody", 1_000));

        assertThat(refused.signed()).isTrue();
        assertThatThrownBy(() -> wrongKey.read(MerchantClient.SEND_REDPACK, 200, refused.body()))
                .isInstanceOf(MerchantClient.BadSignature.class);
    }

    @Test
    void merchantsAreCreatedOnceAndTheirKeyIsNeverShown() {
        start();
        String create = "{\"mchId\":\"" + MCH + "\",\"name\":\"" + MCH + "\",\"apiKey\":\"" + KEY + "\",\"wxappid\":\"" + APP + "\"}";

        ApiClient.Response again = server.admin.post("/v1/admin/merchants", create).expectStatus(200);
        JsonNode shown = server.admin.get("/v1/admin/merchants/" + MCH).expectStatus(200).json();

        assertThat(again.body()).doesNotContain(KEY);
        assertThat(shown.toString()).doesNotContain(KEY);
        assertThat(shown.get("walletUserId").asText()).isEqualTo("mch." + MCH);
        assertThat(shown.get("balance").asLong()).isZero();
        assertThat(server.admin.post("/v1/admin/merchants", create.replace(KEY, "z".repeat(32))).expectStatus(409)
                .errorCode()).isEqualTo("ALREADY_EXISTS");
        assertThat(server.admin.post("/v1/admin/merchants", create.replace(MCH, "19000002").replace(KEY, "short"))
                .expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(server.admin.get("/v1/admin/merchants/1900000999").expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void anOpenidNamesOneUserAndAUserHasOneOpenidPerApp() {
        start();
        server.user("dave");

        server.admin.post("/v1/admin/merchants/" + MCH + "/openids", "{\"openid\":\"oBob\",\"userId\":\"bob\"}")
                .expectStatus(200);
        assertThat(server.admin.post("/v1/admin/merchants/" + MCH + "/openids", "{\"openid\":\"oBob\",\"userId\":\"dave\"}")
                .expectStatus(409).errorCode()).isEqualTo("ALREADY_EXISTS");
        assertThat(server.admin.post("/v1/admin/merchants/" + MCH + "/openids", "{\"openid\":\"oBob2\",\"userId\":\"bob\"}")
                .expectStatus(409).errorCode()).isEqualTo("ALREADY_EXISTS");
        assertThat(server.admin.post("/v1/admin/merchants/" + MCH + "/openids", "{\"openid\":\"oDave\",\"userId\":\"nobody\"}")
                .expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
        JsonNode batch = server.admin.post("/v1/admin/merchants/" + MCH + "/openid-batches",
                "{\"bindings\":[{\"openid\":\"oBob\",\"userId\":\"bob\"},{\"openid\":\"oDave\",\"userId\":\"dave\"}]}")
                .expectStatus(200).json();
        assertThat(batch.get("created").asInt()).isEqualTo(1);
    }
}
