package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.merchant.MerchantClient;
import hongbao.testing.TestServer;
import hongbao.wxpay.SignType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whoever can reach the port can post XML to the merchant endpoints before any signature is checked: external
 * entities, entity expansion, oversized and broken bodies get an unsigned FAIL answer, read no file, change nothing,
 * and the server goes on serving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MerchantHostileInputTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final String SEND = "/mmpaymkttransfers/sendredpack";

    private static TestServer server;
    private static MerchantClient merchant;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        merchant = server.merchant(MerchantApiTest.MCH, MerchantApiTest.APP, MerchantApiTest.KEY, SignType.MD5);
        server.user("bob");
        server.bindOpenid(MerchantApiTest.MCH, "oBob", "bob");
        server.deposit("mch." + MerchantApiTest.MCH, 10_000, "mch-topup-1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertFailedUnsigned(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/xml; charset=UTF-8");
        assertThat(response.body()).startsWith("<xml><return_code><![CDATA[FAIL]]></return_code>")
                .contains("XML_ERROR").doesNotContain("<sign>");
    }

    private static void assertNothingChanged() {
        assertThat(server.merchantBalance(MerchantApiTest.MCH)).isEqualTo(10_000);
        assertThat(server.admin.get("/v1/admin/audit").expectStatus(200).json().get("transfers").asLong())
                .as("only the deposit").isEqualTo(1);
    }

    @Test
    void anExternalEntityIsRefusedWithoutReadingTheFile(@TempDir Path dir) throws Exception {
        String secret = "secret-" + System.nanoTime();
        Path file = Files.writeString(dir.resolve("secret.txt"), secret);
        String body = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"" + file.toUri() + "\">]>"
                + "<xml><mch_id>" + MerchantApiTest.MCH + "</mch_id><wishing>&xxe;</wishing></xml>";

        HttpResponse<String> response = post(SEND, body);

        assertFailedUnsigned(response, 200);
        assertThat(response.body()).contains("DOCTYPE").doesNotContain(secret);
        assertNothingChanged();
    }

    @Test
    void etcPasswdAndRemoteDtdsAreNeverFetched() throws Exception {
        for (String entity : new String[] {"SYSTEM \"file:///etc/passwd\"",
                "PUBLIC \"-//x//y\" \"http://127.0.0.1:9/evil.dtd\""}) {
            HttpResponse<String> response = post(SEND, "<!DOCTYPE xml [<!ENTITY % p " + entity + "> %p;]><xml><a>1</a></xml>");

            assertFailedUnsigned(response, 200);
            assertThat(response.body()).doesNotContain("root:");
        }
        assertNothingChanged();
    }

    @Test
    void aBillionLaughsIsRefusedWithoutExpandingIt() throws Exception {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE xml [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        String body = dtd.append("]><xml><wishing>&lol9;</wishing></xml>").toString();
        long before = System.nanoTime();

        HttpResponse<String> response = post(SEND, body);

        assertFailedUnsigned(response, 200);
        assertThat(response.body().length()).isLessThan(1_000);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        assertNothingChanged();
    }

    @Test
    void aBodyOverTheCapIs413() throws Exception {
        String body = "<xml><wishing>" + "福".repeat(10_000) + "</wishing></xml>";

        assertFailedUnsigned(post(SEND, body), 413);
        assertNothingChanged();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not xml", "<xml><a>1</a>", "<xml><a><b>nested</b></a></xml>", "<root><a>1</a></root>",
            "<xml><a>1</a><a>2</a></xml>", "<xml a=\"1\"></xml>", "<?xml-stylesheet href=\"x\"?><xml></xml>"})
    void malformedBodiesAreXmlErrors(String body) throws Exception {
        assertFailedUnsigned(post(SEND, body), 200);
        assertNothingChanged();
    }

    @Test
    void aBodyThatIsNotUtf8IsAnXmlError() throws Exception {
        byte[] latin1 = "<xml><wishing>caf\u00e9</wishing></xml>".getBytes(StandardCharsets.ISO_8859_1);

        assertFailedUnsigned(post(SEND, latin1), 200);
        assertNothingChanged();
    }

    @Test
    void afterAllThatTheServerStillServesMerchants() throws Exception {
        post(SEND, "<!DOCTYPE xml [<!ENTITY a \"b\">]><xml/>");

        MerchantClient.Answer sent = merchant.getHbInfo("NOSUCHBILL");

        assertThat(sent.errCode()).isEqualTo("NOT_FOUND");
        assertThat(server.admin.get("/ready").status()).isEqualTo(200);
    }
}
