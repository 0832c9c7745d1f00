package hongbao.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.merchant.MerchantClient.Answer;
import hongbao.merchant.MerchantClient.GroupRedpack;
import hongbao.merchant.MerchantClient.Redpack;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import hongbao.wxpay.SignType;
import hongbao.wxpay.WxSignature;
import hongbao.wxpay.WxXml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/merchant-api.md shows a real exchange byte for byte. The requests there must be exactly what the client builds
 * with the documented key and nonces; the answers must verify with that key (gethbinfo's are unsigned) and have the
 * fields, in order, that this run's answers have. Run with {@code -Dhongbao.test.printExamples=true}, it prints its
 * exchange, which is where the documented one came from; otherwise the build log stays free of XML bodies.
 */
class MerchantApiDocTest {
    static final String MCH = "1900000109";
    static final String APP = "wxhongbaodemo001";
    static final String KEY = "192006250b4c09247ec02edce69f6a2d";
    static final String ALICE = "oAlice7dwq2DfS1j3nXUPJsWm8Ux";
    private static final Map<String, String> PATHS = Map.of("sendredpack-answer", MerchantClient.SEND_REDPACK,
            "gethbinfo-answer", MerchantClient.GET_HB_INFO, "sendgroupredpack-answer", MerchantClient.SEND_GROUP_REDPACK,
            "fatal-error-answer", MerchantClient.SEND_REDPACK, "sign-error-answer", MerchantClient.SEND_REDPACK);
    private static final String PRINT_EXAMPLES = "hongbao.test.printExamples";
    private static final Pattern EXAMPLE = Pattern.compile("<!-- example: ([a-z-]+) -->\\s*```xml\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void theDocumentedExchangeIsWhatTheServiceDoes() throws Exception {
        Map<String, String> documented = examples();
        try (TestServer server = TestServer.start()) {
            server.merchant(MCH, APP, KEY, SignType.MD5);
            ApiClient alice = server.user("alice");
            server.user("bob");
            server.bindOpenid(MCH, ALICE, "alice");
            server.deposit("mch." + MCH, 100_000, "bank-20261125-01");
            Iterator<String> nonces = List.of("5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "B2F1D0A7C9E84F6A9D3C2B1A0F9E8D7C",
                    "C3D2E1F0A9B8C7D6E5F4A3B2C1D0E9F8", "D4E3F2A1B0C9D8E7F6A5B4C3D2E1F0A9",
                    "E5F4A3B2C1D0E9F8A7B6C5D4E3F2A1B0").iterator();
            MerchantClient merchant = new MerchantClient(java.net.URI.create(server.baseUrl()), MCH, APP, KEY, SignType.MD5)
                    .withNonces(nonces::next);

            String sendRequest = merchant.body(merchant.params(new Redpack("1900000109202611250000000001", "天虹百货", ALICE,
                    888, "恭喜发财", "192.168.0.1", "新年红包", "新年快乐")));
            Answer sent = merchant.post(MerchantClient.SEND_REDPACK, sendRequest);
            alice.post("/v1/packets/" + sent.get("send_listid") + "/open", null).expectStatus(200);
            String infoRequest = merchant.body(merchant.hbInfoParams("1900000109202611250000000001"));
            Answer info = merchant.post(MerchantClient.GET_HB_INFO, infoRequest);
            String groupRequest = merchant.body(merchant.params(new GroupRedpack("1900000109202611250000000002", "天虹百货",
                    ALICE, 900, 3, "分享给好友", "裂变红包", "好友一起领")));
            Answer group = merchant.post(MerchantClient.SEND_GROUP_REDPACK, groupRequest);
            Answer fatal = merchant.post(MerchantClient.SEND_REDPACK, merchant.body(merchant.params(new Redpack(
                    "1900000109202611250000000001", "天虹百货", ALICE, 999, "恭喜发财", "192.168.0.1", "新年红包", "新年快乐"))));
            Map<String, String> forged = WxSignature.signed(merchant.params(new Redpack("1900000109202611250000000003",
                    "天虹百货", ALICE, 100, "恭喜发财", "192.168.0.1", "新年红包", "新年快乐")), "not-the-merchant-key-000000000000", SignType.MD5);
            Answer signError = merchant.post(MerchantClient.SEND_REDPACK, WxXml.write(forged));

            Map<String, Answer> live = Map.of("sendredpack-answer", sent, "gethbinfo-answer", info,
                    "sendgroupredpack-answer", group, "fatal-error-answer", fatal, "sign-error-answer", signError);
            if (Boolean.getBoolean(PRINT_EXAMPLES)) {
                Map.of("sendredpack-request", sendRequest, "gethbinfo-request", infoRequest, "sendgroupredpack-request",
                        groupRequest).forEach(MerchantApiDocTest::print);
                live.forEach((name, answer) -> print(name, answer.body()));
            }

            assertThat(documented.get("sendredpack-request")).isEqualTo(sendRequest);
            assertThat(documented.get("gethbinfo-request")).isEqualTo(infoRequest);
            assertThat(documented.get("sendgroupredpack-request")).isEqualTo(groupRequest);
            for (Map.Entry<String, Answer> answer : live.entrySet()) {
                Answer shown = merchant.read(PATHS.get(answer.getKey()), 200, documented.get(answer.getKey()));
                assertThat(shown.fields().keySet()).as(answer.getKey()).containsExactlyElementsOf(answer.getValue().fields().keySet());
                assertThat(shown.hblist()).as(answer.getKey()).hasSameSizeAs(answer.getValue().hblist());
                for (String stable : List.of("return_code", "result_code", "err_code", "mch_billno", "status", "total_amount")) {
                    assertThat(shown.get(stable)).as(answer.getKey() + " " + stable).isEqualTo(answer.getValue().get(stable));
                }
            }
        }
    }

    private static Map<String, String> examples() throws IOException {
        String doc = Files.readString(Path.of(System.getProperty("basedir", "."), "docs", "merchant-api.md"));
        Map<String, String> examples = new java.util.HashMap<>();
        Matcher matcher = EXAMPLE.matcher(doc);
        while (matcher.find()) {
            examples.put(matcher.group(1), matcher.group(2));
        }
        return examples;
    }

    private static void print(String name, String body) {
        System.out.println("---- " + name + " (for docs/merchant-api.md)\n" + body);
    }
}
