package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hongbao.merchant.MerchantClient;
import hongbao.testing.ApiClient;
import hongbao.testing.Browser;
import hongbao.testing.TestServer;
import hongbao.wxpay.SignType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * What a WeChat user would notice in the web UI, in a real browser: a cancelled claim reads as cancelled (result page,
 * records, inbox) and counts in no total, a merchant's packet shows its send_name, 零钱明细 lines say who, and the send
 * dialog refuses more packets than the group has members before anything is sent.
 */
class ProductDetailsBrowserTest {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 700;
    private static final String MCH = "1900000109";

    private TestServer server;
    private final List<Browser> browsers = new ArrayList<>();
    private ApiClient aliceApi;
    private ApiClient bobApi;

    @BeforeAll
    static void needsChromium() {
        assumeTrue(Browser.installed(), "no Chromium installed: " + Browser.CHROMIUM + " or " + Browser.CHROMEDRIVER
                + " is missing, so the browser test is skipped (apt-get install chromium chromium-driver; .ci/run does)");
    }

    @BeforeEach
    void start() {
        server = TestServer.start();
        aliceApi = person("alice", "Alice");
        bobApi = person("bob", "Bob");
        person("carol", "Carol");
        server.admin.post("/v1/admin/groups", "{\"groupId\":\"family\",\"name\":\"家人群\",\"members\":[\"alice\",\"bob\",\"carol\"]}")
                .expectStatus(201);
        server.deposit("alice", 100_000, "bank-1");
    }

    @AfterEach
    void stop() {
        try {
            browsers.forEach(Browser::close);
        } finally {
            server.close();
        }
    }

    private ApiClient person(String userId, String name) {
        server.admin.post("/v1/admin/users", "{\"userId\":\"" + userId + "\",\"name\":\"" + name + "\"}").expectOk();
        String token = server.admin.post("/v1/admin/users/" + userId + "/tokens", "{\"ttlSeconds\":2592000}")
                .expectStatus(201).json().get("token").asText();
        return new ApiClient(server.baseUrl(), token);
    }

    private Browser loggedIn(String userId, String language) {
        Browser browser = new Browser(WIDTH, HEIGHT, language);
        browsers.add(browser);
        browser.open(server.baseUrl() + "/#/login");
        browser.click(By.cssSelector("[data-testid=login-user][data-user-id=" + userId + "]"));
        browser.visible(By.cssSelector("[data-testid=timeline]"));
        return browser;
    }

    private static void go(Browser browser, String hash) {
        browser.script("location.hash = arguments[0]", hash);
    }

    private static By recordLine(String packetId) {
        return By.cssSelector("[data-testid=record-line][data-packet-id='" + packetId + "']");
    }

    @Test
    void aCancelledClaimReadsAsCancelledAndCountsInNoTotal() {
        String paid = aliceApi.post("/v1/packets", "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":300,\"count\":1}")
                .expectStatus(201).json().get("id").asText();
        bobApi.post("/v1/packets/" + paid + "/open", null).expectStatus(200);
        server.clock.advance(Duration.ofSeconds(1));
        String cancelled = aliceApi.post("/v1/packets", "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":8000,\"count\":1,"
                + "\"payMethod\":\"THIRD_PARTY\"}").expectStatus(201).json().get("id").asText();
        aliceApi.post("/v1/packets/" + cancelled + "/payment/client-confirm", null).expectStatus(200);
        bobApi.post("/v1/packets/" + cancelled + "/open", null).expectStatus(200);
        server.settleCredits();

        Browser bob = loggedIn("bob", "zh-CN");
        go(bob, "#/records/received");
        bob.visible(recordLine(cancelled));
        assertThat(bob.driver().findElement(recordLine(cancelled)).getAttribute("data-status")).isEqualTo("PENDING");
        assertThat(bob.textOf(By.cssSelector("[data-testid=records-pending]"))).contains("80.00").contains("待入账");

        server.clock.advance(Duration.ofMinutes(15));
        assertThat(server.app.payments().cancelOverdue()).isEqualTo(1);

        go(bob, "#/packet/" + cancelled);
        bob.visible(By.cssSelector("[data-testid=result][data-status=CANCELLED]"));
        assertThat(bob.driver().findElement(By.cssSelector("[data-testid=my-claim]")).getAttribute("data-status"))
                .isEqualTo("CANCELLED");
        String page = bob.textOf(By.cssSelector("[data-testid=result]"));
        assertThat(page).contains("红包已取消").contains("支付未成功，未存入零钱").contains("已领取的1个未入账")
                .doesNotContain("支付确认后存入零钱");
        bob.screenshot("result-cancelled-zh");

        go(bob, "#/records/received");
        bob.visible(recordLine(cancelled));
        assertThat(bob.driver().findElement(recordLine(cancelled)).getAttribute("data-status")).isEqualTo("CANCELLED");
        assertThat(bob.driver().findElement(recordLine(cancelled)).getText()).contains("已取消");
        bob.waitForText(By.cssSelector("[data-testid=records-total]"), "3.00");
        assertThat(bob.textOf(By.cssSelector("[data-testid=records-count]"))).isEqualTo("1");
        assertThat(bob.driver().findElements(By.cssSelector("[data-testid=records-pending]"))).isEmpty();
        assertThat(bob.textOf(By.cssSelector("[data-testid=records-summary]"))).doesNotContain("null");
        bob.screenshot("records-cancelled-zh");

        go(bob, "#/inbox");
        By bubble = By.cssSelector("[data-testid=packet-bubble][data-packet-id='" + cancelled + "']");
        bob.visible(bubble);
        assertThat(bob.driver().findElement(bubble).getText()).contains("已取消").doesNotContain("已领取");
    }

    @Test
    void aMerchantPacketShowsItsSendNameNeverItsWalletId() throws Exception {
        MerchantClient merchant = server.merchant(MCH, "wxhongbaotest001", "192006250b4c09247ec02edce69f6a2d", SignType.MD5);
        server.bindOpenid(MCH, "oBob", "bob");
        server.deposit("mch." + MCH, 10_000, "mch-topup-1");
        MerchantClient.Answer sent = merchant.sendRedpack(new MerchantClient.Redpack("B0001", "天虹百货", "oBob", 888, "恭喜发财",
                "127.0.0.1", "新年红包", "备注"));
        assertThat(sent.resultCode()).as(sent.body()).isEqualTo("SUCCESS");

        Browser bob = loggedIn("bob", "en-US");
        go(bob, "#/inbox");
        By bubble = By.cssSelector("[data-testid=inbox] [data-testid=packet-bubble]");
        bob.visible(bubble);
        assertThat(bob.textOf(By.cssSelector("[data-testid=inbox]"))).contains("天虹百货").doesNotContain(MCH);
        bob.click(bubble);
        bob.clickable(By.cssSelector("[data-testid=open-button]"));
        assertThat(bob.textOf(By.cssSelector(".envelope"))).contains("天虹百货's red packet").doesNotContain(MCH);
        bob.click(By.cssSelector("[data-testid=open-button]"));
        bob.visible(By.cssSelector("[data-testid=result][data-status=FINISHED]"));
        assertThat(bob.textOf(By.cssSelector(".result-sender"))).contains("天虹百货").doesNotContain(MCH);

        go(bob, "#/records/received");
        bob.visible(By.cssSelector("[data-testid=record-line]"));
        assertThat(bob.textOf(By.cssSelector("[data-testid=records-lines]"))).contains("天虹百货").doesNotContain(MCH);
        go(bob, "#/wallet");
        bob.visible(By.cssSelector("[data-testid=wallet-line][data-kind=CLAIM]"));
        assertThat(bob.textOf(By.cssSelector("[data-testid=wallet-line][data-kind=CLAIM] [data-testid=wallet-line-what]")))
                .isEqualTo("Red packet from 天虹百货");
    }

    @Test
    void walletLinesNameTheOtherSideInBothLanguages() {
        String packet = aliceApi.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":300,\"count\":2}")
                .expectStatus(201).json().get("id").asText();
        bobApi.post("/v1/packets/" + packet + "/open", null).expectStatus(200);
        server.settleCredits();

        Browser bob = loggedIn("bob", "zh-CN");
        go(bob, "#/wallet");
        By claim = By.cssSelector("[data-testid=wallet-line][data-kind=CLAIM] [data-testid=wallet-line-what]");
        assertThat(bob.textOf(claim)).isEqualTo("微信红包-来自Alice");
        bob.screenshot("wallet-parties-zh");

        Browser alice = loggedIn("alice", "en-US");
        go(alice, "#/wallet");
        By send = By.cssSelector("[data-testid=wallet-line][data-kind=SEND] [data-testid=wallet-line-what]");
        assertThat(alice.textOf(send)).isEqualTo("Red packet to 家人群");
        alice.script("localStorage.setItem('hongbao.language', 'zh'); location.reload()");
        alice.waitForText(send, "发出红包-家人群");
    }

    @Test
    void theSendDialogRefusesMorePacketsThanMembersBeforeSending() {
        Browser alice = loggedIn("alice", "zh-CN");
        alice.click(By.cssSelector("[data-testid=send-packet]"));
        alice.type(By.id("send-count"), "5");
        alice.type(By.id("send-amount"), "5.00");
        alice.click(By.cssSelector("[data-testid=send-submit]"));
        assertThat(alice.textOf(By.id("send-count-error"))).isEqualTo("红包个数不能超过群人数（3人）。");
        alice.screenshot("send-dialog-group-size-zh");
        assertThat(aliceApi.get("/v1/groups/family/packets").expectStatus(200).json().get("items")).isEmpty();

        alice.type(By.id("send-count"), "3");
        alice.click(By.cssSelector("[data-testid=send-submit]"));
        alice.visible(By.cssSelector("[data-testid=packet-bubble]"));
        assertThat(aliceApi.get("/v1/groups/family/packets").expectStatus(200).json().get("items")).hasSize(1);
    }
}
