package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.binarywang.wxpay.bean.request.WxPaySendRedpackRequest;
import com.github.binarywang.wxpay.bean.result.WxPayRedpackQueryResult;
import com.github.binarywang.wxpay.bean.result.WxPaySendRedpackResult;
import com.github.binarywang.wxpay.exception.WxPayException;
import com.github.binarywang.wxpay.service.RedpackService;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import hongbao.testing.WxJava;
import hongbao.wxpay.SignType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The merchant API driven by a real, unmodified WeChat Pay client (WxJava's RedpackService), with its sign type unset
 * (null: MD5, no sign_type sent), MD5 and HMAC-SHA256 (sign_type sent, not signed) as a merchant configures it: sendredpack, sendgroupredpack, gethbinfo before and after opens, a replayed bill, a changed
 * amount under the same bill number, a wrong key. The client checks every answer's signature itself.
 */
class WxJavaMerchantApiTest {
    private static final String MCH = "1900000109";
    private static final String APP = "wxhongbaotest001";
    private static final String KEY = "192006250b4c09247ec02edce69f6a2d";

    private TestServer server;
    private ApiClient bob;

    @BeforeEach
    void start() {
        server = TestServer.start();
        server.merchant(MCH, APP, KEY, SignType.MD5);
        bob = server.user("bob");
        server.bindOpenid(MCH, "oBob", "bob");
        server.deposit("mch." + MCH, 10_000, "mch-topup-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RedpackService redpacks(String key, String signType) {
        return WxJava.client(server.baseUrl(), MCH, APP, key, signType).getRedpackService();
    }

    private static WxPaySendRedpackRequest redpack(String billno, String openid, int amount) {
        return WxPaySendRedpackRequest.newBuilder().mchBillNo(billno).sendName("天虹百货").reOpenid(openid)
                .totalAmount(amount).totalNum(1).wishing("恭喜发财").clientIp("127.0.0.1").actName("新年红包").remark("备注")
                .build();
    }

    /** WxJava sends a request to sendgroupredpack when it has an amt_type. */
    private static WxPaySendRedpackRequest fission(String billno, String openid, int amount, int shares) {
        return WxPaySendRedpackRequest.newBuilder().mchBillNo(billno).sendName("天虹百货").reOpenid(openid)
                .totalAmount(amount).totalNum(shares).amtType("ALL_RAND").wishing("分享给好友").actName("裂变红包")
                .remark("备注").build();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"MD5", "HMAC-SHA256"})
    void sendredpackThenGethbinfoBeforeAndAfterTheOpen(String signType) throws Exception {
        RedpackService redpacks = redpacks(KEY, signType);

        WxPaySendRedpackResult sent = redpacks.sendRedpack(redpack("W0001", "oBob", 1_000));

        assertThat(sent.getResultCode()).isEqualTo("SUCCESS");
        assertThat(sent.getMchBillNo()).isEqualTo("W0001");
        assertThat(sent.getReOpenid()).isEqualTo("oBob");
        assertThat(sent.getTotalAmount()).isEqualTo(1_000);
        String packetId = sent.getSendListId();
        assertThat(server.merchantBalance(MCH)).isEqualTo(9_000);
        WxPayRedpackQueryResult before = redpacks.queryRedpack("W0001");
        assertThat(before.getStatus()).isEqualTo("SENT");
        assertThat(before.getDetailId()).isEqualTo(packetId);
        assertThat(before.getHbType()).isEqualTo("NORMAL");
        assertThat(before.getTotalAmount()).isEqualTo(1_000);
        assertThat(before.getRedpackList()).isEmpty();

        bob.post("/v1/packets/" + packetId + "/open", null).expectStatus(200);

        WxPayRedpackQueryResult after = redpacks.queryRedpack("W0001");
        assertThat(after.getStatus()).isEqualTo("RECEIVED");
        assertThat(after.getRedpackList()).singleElement().satisfies(receiver -> {
            assertThat(receiver.getOpenid()).isEqualTo("oBob");
            assertThat(receiver.getAmount()).isEqualTo(1_000);
            assertThat(receiver.getReceiveTime()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        });
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"MD5", "HMAC-SHA256"})
    void sendgroupredpackThenGethbinfoAfterTheSeedsOpen(String signType) throws Exception {
        RedpackService redpacks = redpacks(KEY, signType);

        WxPaySendRedpackResult sent = redpacks.sendRedpack(fission("G0001", "oBob", 900, 3));

        assertThat(sent.getResultCode()).isEqualTo("SUCCESS");
        assertThat(server.merchantBalance(MCH)).isEqualTo(9_100);
        long seedsShare = bob.post("/v1/packets/" + sent.getSendListId() + "/open", null).expectStatus(200).json()
                .get("amount").asLong();
        WxPayRedpackQueryResult info = redpacks.queryRedpack("G0001");
        assertThat(info.getStatus()).isEqualTo("SENT");
        assertThat(info.getHbType()).isEqualTo("GROUP");
        assertThat(info.getTotalNum()).isEqualTo(3);
        assertThat(info.getRedpackList()).singleElement().satisfies(receiver -> {
            assertThat(receiver.getOpenid()).isEqualTo("oBob");
            assertThat(receiver.getAmount().longValue()).isEqualTo(seedsShare);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD5", "HMAC-SHA256"})
    void aReplayedBillIsAnsweredAsTheFirstTimeAndSentOnce(String signType) throws Exception {
        RedpackService redpacks = redpacks(KEY, signType);
        WxPaySendRedpackResult first = redpacks.sendRedpack(redpack("W0002", "oBob", 500));

        WxPaySendRedpackResult again = redpacks.sendRedpack(redpack("W0002", "oBob", 500));

        assertThat(again.getResultCode()).isEqualTo("SUCCESS");
        assertThat(again.getSendListId()).isEqualTo(first.getSendListId());
        assertThat(server.merchantBalance(MCH)).isEqualTo(9_500);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD5", "HMAC-SHA256"})
    void aChangedAmountUnderTheSameBillNumberIsAFatalError(String signType) throws Exception {
        RedpackService redpacks = redpacks(KEY, signType);
        redpacks.sendRedpack(redpack("W0003", "oBob", 500));

        WxPayException changed = catchThrowableOfType(WxPayException.class,
                () -> redpacks.sendRedpack(redpack("W0003", "oBob", 600)));

        assertThat(changed.getReturnCode()).as(changed.getXmlString()).isEqualTo("SUCCESS");
        assertThat(changed.getResultCode()).isEqualTo("FAIL");
        assertThat(changed.getErrCode()).isEqualTo("FATAL_ERROR");
        assertThat(server.merchantBalance(MCH)).isEqualTo(9_500);
        assertThat(redpacks.queryRedpack("W0003").getTotalAmount()).isEqualTo(500);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD5", "HMAC-SHA256"})
    void aWrongKeyIsASignErrorAndChangesNothing(String signType) throws Exception {
        RedpackService forger = redpacks("x".repeat(32), signType);

        WxPayException send = catchThrowableOfType(WxPayException.class,
                () -> forger.sendRedpack(redpack("W0004", "oBob", 500)));
        WxPayException query = catchThrowableOfType(WxPayException.class, () -> forger.queryRedpack("W0004"));

        assertThat(send.getReturnCode()).as(send.getXmlString()).isEqualTo("FAIL");
        assertThat(send.getErrCode()).isEqualTo("SIGN_ERROR");
        assertThat(query.getErrCode()).isEqualTo("SIGN_ERROR");
        assertThat(server.merchantBalance(MCH)).isEqualTo(10_000);
        WxPayException unknown = catchThrowableOfType(WxPayException.class,
                () -> redpacks(KEY, signType).queryRedpack("W0004"));
        assertThat(unknown.getErrCode()).as("no bill was recorded").isEqualTo("NOT_FOUND");
    }
}
