package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.binarywang.wxpay.bean.request.WxPaySendRedpackRequest;
import com.github.binarywang.wxpay.bean.result.WxPaySendRedpackResult;
import com.github.binarywang.wxpay.service.RedpackService;
import hongbao.testing.TestServer;
import hongbao.testing.WxJava;
import hongbao.wxpay.SignType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bill replayed with another sign type than its first request (a merchant switching its client from MD5 to
 * HMAC-SHA256 between a send and its retry) is answered as the first time, signed the way the replay was signed:
 * WxJava checks the answer's signature with its own sign type and refuses any other.
 */
class ReplayedBillSignTypeTest {
    private static final String MCH = "1900000109";
    private static final String APP = "wxhongbaotest001";
    private static final String KEY = "192006250b4c09247ec02edce69f6a2d";

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
        server.merchant(MCH, APP, KEY, SignType.MD5);
        server.user("bob");
        server.bindOpenid(MCH, "oBob", "bob");
        server.deposit("mch." + MCH, 10_000, "mch-topup-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RedpackService redpacks(String signType) {
        return WxJava.client(server.baseUrl(), MCH, APP, KEY, signType).getRedpackService();
    }

    private static WxPaySendRedpackRequest redpack(String billno) {
        return WxPaySendRedpackRequest.newBuilder().mchBillNo(billno).sendName("天虹百货").reOpenid("oBob")
                .totalAmount(500).totalNum(1).wishing("恭喜发财").clientIp("127.0.0.1").actName("新年红包").remark("备注")
                .build();
    }

    @ParameterizedTest
    @CsvSource({"MD5, HMAC-SHA256", "HMAC-SHA256, MD5"})
    void theReplayIsSignedWithItsOwnSignType(String firstSignType, String replaySignType) throws Exception {
        WxPaySendRedpackResult first = redpacks(firstSignType).sendRedpack(redpack("S0001"));

        WxPaySendRedpackResult replayed = redpacks(replaySignType).sendRedpack(redpack("S0001"));

        assertThat(replayed.getResultCode()).isEqualTo("SUCCESS");
        assertThat(replayed.getSendListId()).isEqualTo(first.getSendListId());
        assertThat(replayed.getXmlString().contains("<sign_type><![CDATA[HMAC-SHA256]]></sign_type>"))
                .isEqualTo("HMAC-SHA256".equals(replaySignType));
        assertThat(server.merchantBalance(MCH)).isEqualTo(9_500);
    }
}
