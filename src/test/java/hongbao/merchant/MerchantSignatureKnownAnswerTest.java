package hongbao.merchant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hongbao.merchant.MerchantClient.Redpack;
import hongbao.wxpay.SignType;
import hongbao.wxpay.WxSignature;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * A whole sendredpack request, as WeChat documents its fields, signed by hand: the ASCII-sorted string is written out
 * literally here and digested with the JDK (and, for the pinned values, with Python's hashlib/hmac), so the client is
 * checked against something it did not produce.
 */
class MerchantSignatureKnownAnswerTest {
    private static final String KEY = "192006250b4c09247ec02edce69f6a2d";
    private static final String NONCE = "5K8264ILTKCH16CQ2502SI8ZNMTM67VS";
    private static final Redpack DOCUMENTED = new Redpack("10000098201411111234567890", "天虹百货",
            "oxTWIuGaIt6gTKsQRLau2M0yL16E", 1000, "感谢您参加猜灯谜活动，祝您元宵节快乐！", "192.168.0.1", "猜灯谜抢红包活动", "猜越多得越多，快来抢！");
    private static final String SORTED_MD5 = "act_name=猜灯谜抢红包活动"
            + "&client_ip=192.168.0.1"
            + "&mch_billno=10000098201411111234567890"
            + "&mch_id=10000098"
            + "&nonce_str=5K8264ILTKCH16CQ2502SI8ZNMTM67VS"
            + "&re_openid=oxTWIuGaIt6gTKsQRLau2M0yL16E"
            + "&remark=猜越多得越多，快来抢！"
            + "&send_name=天虹百货"
            + "&total_amount=1000"
            + "&total_num=1"
            + "&wishing=感谢您参加猜灯谜活动，祝您元宵节快乐！"
            + "&wxappid=wx8888888888888888"
            + "&key=192006250b4c09247ec02edce69f6a2d";
    /** HMAC-SHA256 signs sign_type too, which sorts between send_name and total_amount. */
    private static final String SORTED_HMAC = SORTED_MD5.replace("&total_amount=", "&sign_type=HMAC-SHA256&total_amount=");
    private static final String PINNED_MD5 = "A6BA94628F22472191B0BE15AE6F2C87";
    private static final String PINNED_HMAC = "7ADCB2FB42282E983C83CEE639F48FE5E3CF71A898AAB9D9F347DE0B8529DF2B";

    private static MerchantClient client(SignType type) {
        return new MerchantClient(URI.create("http://127.0.0.1:1"), "10000098", "wx8888888888888888", KEY, type)
                .withNonces(() -> NONCE);
    }

    @Test
    void theStringToSignIsTheSortedFieldsThenTheKey() {
        Map<String, String> params = client(SignType.MD5).params(DOCUMENTED);

        assertThat(WxSignature.stringToSign(params, KEY)).isEqualTo(SORTED_MD5);
    }

    @Test
    void md5IsTheUppercaseHexDigestOfThatString() throws Exception {
        String byHand = HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("MD5").digest(SORTED_MD5.getBytes(StandardCharsets.UTF_8)));

        String body = client(SignType.MD5).body(client(SignType.MD5).params(DOCUMENTED));

        assertThat(byHand).isEqualTo(PINNED_MD5);
        assertThat(body).isEqualTo("<xml><nonce_str><![CDATA[5K8264ILTKCH16CQ2502SI8ZNMTM67VS]]></nonce_str>"
                + "<mch_billno><![CDATA[10000098201411111234567890]]></mch_billno><mch_id><![CDATA[10000098]]></mch_id>"
                + "<wxappid><![CDATA[wx8888888888888888]]></wxappid><send_name><![CDATA[天虹百货]]></send_name>"
                + "<re_openid><![CDATA[oxTWIuGaIt6gTKsQRLau2M0yL16E]]></re_openid><total_amount><![CDATA[1000]]></total_amount>"
                + "<total_num><![CDATA[1]]></total_num><wishing><![CDATA[感谢您参加猜灯谜活动，祝您元宵节快乐！]]></wishing>"
                + "<client_ip><![CDATA[192.168.0.1]]></client_ip><act_name><![CDATA[猜灯谜抢红包活动]]></act_name>"
                + "<remark><![CDATA[猜越多得越多，快来抢！]]></remark><sign><![CDATA[" + PINNED_MD5 + "]]></sign></xml>");
    }

    @Test
    void hmacSha256IsKeyedWithTheApiKeyOverTheStringWithSignType() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String byHand = HexFormat.of().withUpperCase().formatHex(mac.doFinal(SORTED_HMAC.getBytes(StandardCharsets.UTF_8)));

        Map<String, String> signed = WxSignature.signed(client(SignType.HMAC_SHA256).params(DOCUMENTED), KEY,
                SignType.HMAC_SHA256);

        assertThat(byHand).isEqualTo(PINNED_HMAC);
        assertThat(WxSignature.stringToSign(signed, KEY)).isEqualTo(SORTED_HMAC);
        assertThat(signed).containsEntry("sign_type", "HMAC-SHA256").containsEntry("sign", PINNED_HMAC);
        assertThat(client(SignType.HMAC_SHA256).body(client(SignType.HMAC_SHA256).params(DOCUMENTED)))
                .contains("<sign_type><![CDATA[HMAC-SHA256]]></sign_type><sign><![CDATA[" + PINNED_HMAC + "]]></sign></xml>");
    }

    @Test
    void theClientAcceptsAnAnswerSignedWithTheKeyAndNothingElse() throws Exception {
        String answer = "<xml><return_code><![CDATA[SUCCESS]]></return_code><result_code><![CDATA[SUCCESS]]></result_code>"
                + "<mch_billno><![CDATA[10000098201411111234567890]]></mch_billno><nonce_str><![CDATA[N1]]></nonce_str>";
        String sorted = "mch_billno=10000098201411111234567890&nonce_str=N1&result_code=SUCCESS&return_code=SUCCESS&key=" + KEY;
        String sign = HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("MD5").digest(sorted.getBytes(StandardCharsets.UTF_8)));

        MerchantClient.Answer read = client(SignType.MD5).read(MerchantClient.SEND_REDPACK, 200,
                answer + "<sign><![CDATA[" + sign + "]]></sign></xml>");

        assertThat(read.isSuccess()).isTrue();
        assertThat(read.signed()).isTrue();
        String forged = answer + "<sign><![CDATA[" + sign.replace('A', 'B') + "]]></sign></xml>";
        assertThatThrownBy(() -> client(SignType.MD5).read(MerchantClient.SEND_REDPACK, 200, forged))
                .isInstanceOf(MerchantClient.BadSignature.class);
        assertThatThrownBy(() -> client(SignType.MD5).read(MerchantClient.SEND_REDPACK, 200, answer + "</xml>"))
                .as("a SUCCESS answer must be signed").isInstanceOf(MerchantClient.BadSignature.class);
    }
}
