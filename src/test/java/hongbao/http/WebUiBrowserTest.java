package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.merchant.MerchantClient;
import hongbao.testing.ApiClient;
import hongbao.testing.Browser;
import hongbao.testing.Required;
import hongbao.testing.TestServer;
import hongbao.wxpay.SignType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web UI in a real browser: Debian's Chromium, headless, driven by Selenium through Debian's chromedriver. Each
 * person gets their own browser (own profile, own sessionStorage), both against one real server on SQLite.
 * Screenshots land in target/screenshots.
 */
class WebUiBrowserTest {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 700;
    private static final int PHONE_WIDTH = 400;
    private static final int PHONE_HEIGHT = 780;

    private TestServer server;
    private final List<Browser> browsers = new ArrayList<>();

    @BeforeAll
    static void needsChromium() {
        Required.tool(Browser.installed(), "no Chromium installed: " + Browser.CHROMIUM + " or " + Browser.CHROMEDRIVER
                + " is missing, so the browser test is skipped (apt-get install chromium chromium-driver; .ci/run does)");
    }

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        try {
            browsers.forEach(Browser::close);
        } finally {
            server.close();
        }
    }

    private Browser browser() {
        return browser(WIDTH, HEIGHT);
    }

    private Browser browser(int width, int height) {
        return browser(width, height, "en-US");
    }

    private Browser browser(int width, int height, String language) {
        Browser browser = new Browser(width, height, language);
        browsers.add(browser);
        return browser;
    }

    /** A user with a display name, and an API client holding their token (as the host app's backend would). */
    private ApiClient person(String userId, String name) {
        server.admin.post("/v1/admin/users", "{\"userId\":\"" + userId + "\",\"name\":\"" + name + "\"}").expectOk();
        // Tokens outlive the clock jumps of the expiry scenes.
        String token = server.admin.post("/v1/admin/users/" + userId + "/tokens", "{\"ttlSeconds\":2592000}")
                .expectStatus(201).json().get("token").asText();
        return new ApiClient(server.baseUrl(), token);
    }

    private Browser loggedIn(String userId, int width, int height) {
        return loggedIn(userId, width, height, "en-US");
    }

    private Browser loggedIn(String userId, int width, int height, String language) {
        Browser browser = browser(width, height, language);
        browser.open(server.baseUrl() + "/#/login");
        browser.click(By.cssSelector("[data-testid=login-user][data-user-id=" + userId + "]"));
        // the chat list: beside the first group's chat on a wide screen, alone on a phone
        browser.visible(By.cssSelector(width < 600 ? "[data-testid=sidebar]" : "[data-testid=timeline]"));
        return browser;
    }

    private static By bubble(String packetId) {
        return By.cssSelector("[data-testid=packet-bubble][data-packet-id='" + packetId + "']");
    }

    private static By claimAmount(String userId) {
        return By.cssSelector("[data-testid=claim][data-user-id=" + userId + "] [data-testid=claim-amount]");
    }

    private static final By TIMELINE = By.cssSelector("[data-testid=timeline]");
    private static final Pattern HAN = Pattern.compile("\\p{IsHan}");

    /**
     * The labels of the logged-in page: its text without what users wrote (greetings, group names) and without the
     * language switch (中文 names itself).
     */
    private static String labels(Browser browser) {
        return (String) browser.script("""
                const page = document.querySelector('.shell').cloneNode(true);
                page.querySelectorAll('.pb-greeting, [data-testid=group-link] .group-name, .group-icon, .chat-head h2, .lang-choice')
                    .forEach((e) => e.remove());
                return page.textContent;
                """);
    }

    /** The timeline's chat lines and bubbles in the order shown: "line:text" or "packet:id". */
    private static List<String> timelineOrder(Browser browser) {
        return browser.driver().findElements(By.cssSelector("[data-testid=chat-line], [data-testid=packet-bubble]")).stream()
                .map(e -> "chat-line".equals(e.getAttribute("data-testid"))
                        ? "line:" + e.getText().strip() : "packet:" + e.getAttribute("data-packet-id"))
                .toList();
    }

    private static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }

    @Test
    void twoPeopleInOneGroupShareALuckyPacketAndSeeTheSameAmounts() {
        person("alice", "Alice");
        ApiClient bobApi = person("bob", "Bob");
        ApiClient carolApi = person("carol", "Carol");
        server.admin.post("/v1/admin/groups",
                "{\"groupId\":\"family\",\"name\":\"Family 相亲相爱\",\"members\":[\"alice\",\"bob\",\"carol\"]}").expectStatus(201);
        server.deposit("alice", 20_000, "bank-alice");
        server.deposit("carol", 5_000, "bank-carol");
        // Some history, so the chat has more than one bubble: Carol's equal packet, one share taken by Bob.
        String earlier = carolApi.post("/v1/packets",
                "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":600,\"count\":3,\"greeting\":\"新年快乐\"}")
                .expectStatus(201).json().get("id").asText();
        bobApi.post("/v1/packets/" + earlier + "/open", null).expectStatus(200);
        server.clock.advance(Duration.ofMinutes(3));

        Browser alice = loggedIn("alice", WIDTH, HEIGHT);
        alice.waitForText(By.cssSelector("[data-testid=wallet-balance]"), "200.00");
        alice.visible(bubble(earlier));
        assertThat(alice.driver().findElements(By.cssSelector("[data-testid=packet-bubble]"))).hasSize(1);
        // An English browser gets English only: no label is doubled with its Chinese.
        alice.waitForText(By.cssSelector("[data-testid=send-packet]"), "Send red packet");
        assertThat(labels(alice)).contains("Open it", "Wallet").doesNotContainPattern(HAN);

        // Mistakes are told next to the field: first one the page catches, then one only the server can judge.
        alice.click(By.cssSelector("[data-testid=send-packet]"));
        alice.type(By.id("send-count"), "3");
        alice.type(By.id("send-amount"), "10.001");
        alice.click(By.cssSelector("[data-testid=send-submit]"));
        assertThat(alice.textOf(By.id("send-amount-error"))).contains("two decimals");
        alice.type(By.id("send-amount"), "0.03");
        alice.click(By.id("send-distinct"));
        alice.click(By.cssSelector("[data-testid=send-submit]"));
        String refused = alice.textOf(By.id("send-amount-error"));
        assertThat(refused).isEqualTo("Cannot split ¥0.03 into 3 distinct shares of ¥0.01..¥200.00");
        alice.screenshot("send-dialog-refused");

        alice.click(By.id("send-distinct"));
        alice.type(By.id("send-amount"), "10.00");
        alice.type(By.id("send-greeting"), "恭喜发财");
        alice.waitForText(By.cssSelector("[data-testid=send-total]"), "10.00");
        alice.settled();
        alice.screenshot("send-dialog");
        alice.click(By.cssSelector("[data-testid=send-submit]"));
        WebElement sent = alice.visible(By.cssSelector(".msg.mine [data-testid=packet-bubble]"));
        String packetId = sent.getAttribute("data-packet-id");
        // oldest first, like a chat: the new packet is the last bubble
        alice.until(d -> d.findElements(By.cssSelector("[data-testid=packet-bubble]")).stream()
                .map(e -> e.getAttribute("data-packet-id")).toList().equals(List.of(earlier, packetId)));
        alice.waitForText(By.cssSelector("[data-testid=wallet-balance]"), "190.00");
        JsonNode packet = bobApi.get("/v1/packets/" + packetId).expectStatus(200).json();
        assertThat(packet.get("kind").asText()).isEqualTo("GROUP_LUCKY");
        assertThat(packet.get("total").asLong()).isEqualTo(1000);
        assertThat(packet.get("count").asInt()).isEqualTo(3);
        assertThat(packet.get("greeting").asText()).isEqualTo("恭喜发财");
        alice.screenshot("chat");

        // The server's clock is the test's: moved on between opens, so times and "opened in" read like real ones.
        server.clock.advance(Duration.ofSeconds(4));
        // Bob, on a phone-sized screen, sees the bubble appear by itself, taps it and opens it with 開.
        Browser bob = loggedIn("bob", PHONE_WIDTH, PHONE_HEIGHT);
        bob.click(By.cssSelector("[data-testid=group-link][data-group-id=family]"));
        bob.visible(bubble(packetId));
        assertThat(bob.driver().findElements(By.cssSelector("[data-testid=packet-bubble]")))
                .extracting(e -> e.getAttribute("data-packet-id")).containsExactly(earlier, packetId);
        bob.screenshot("chat-phone");
        bob.click(bubble(packetId));
        bob.clickable(By.cssSelector("[data-testid=open-button]"));
        bob.settled();
        bob.screenshot("open-dialog");
        bob.click(By.cssSelector("[data-testid=open-button]"));
        bob.visible(By.cssSelector("[data-testid=result][data-packet-id='" + packetId + "']"));
        String bobShown = bob.textOf(By.cssSelector("[data-testid=my-amount]"));
        long bobAmount = bobApi.get("/v1/packets/" + packetId).expectStatus(200).json().get("myClaim").get("amount").asLong();
        assertThat(bobShown).isEqualTo(yuan(bobAmount));
        assertThat(bob.textOf(claimAmount("bob"))).isEqualTo(yuan(bobAmount));

        // Alice's chat, polled, tells her who opened her packet, after the packet's bubble.
        alice.waitForText(TIMELINE, "Bob opened your red packet");
        assertThat(timelineOrder(alice)).containsExactly("packet:" + earlier, "packet:" + packetId,
                "line:Bob opened your red packet");
        assertThat(labels(alice)).doesNotContainPattern(HAN);

        // Alice, the sender, looks at the details without opening: Bob's claim with the same amount, and the refund
        // that will come if the rest stays unopened.
        alice.click(bubble(packetId));
        alice.click(By.cssSelector("[data-testid=open-details]"));
        assertThat(alice.textOf(claimAmount("bob"))).isEqualTo(yuan(bobAmount));
        assertThat(alice.textOf(By.cssSelector("[data-testid=result-summary]"))).contains("Opened 1/3");
        assertThat(alice.textOf(By.cssSelector("[data-testid=status-notice][data-kind=refund-pending]")))
                .contains("¥" + yuan(1000 - bobAmount));

        // Carol opens through the API, Alice opens the last share in the page: the packet finishes, both pages show
        // all three claims and the one best luck the server computed.
        server.clock.advance(Duration.ofSeconds(5));
        long carolAmount = carolApi.post("/v1/packets/" + packetId + "/open", null).expectStatus(200).json().get("amount").asLong();
        server.clock.advance(Duration.ofSeconds(3));
        alice.click(By.cssSelector(".back"));
        alice.click(bubble(packetId));
        alice.click(By.cssSelector("[data-testid=open-button]"));
        alice.visible(By.cssSelector("[data-testid=result][data-status=FINISHED]"));
        JsonNode finished = bobApi.get("/v1/packets/" + packetId).expectStatus(200).json();
        String bestUser = bestLuck(finished);
        for (Browser viewer : List.of(alice, bob)) {
            viewer.visible(By.cssSelector("[data-testid=result][data-status=FINISHED]"));
            assertThat(viewer.textOf(claimAmount("bob"))).isEqualTo(yuan(bobAmount));
            assertThat(viewer.textOf(claimAmount("carol"))).isEqualTo(yuan(carolAmount));
            assertThat(viewer.textOf(claimAmount("alice"))).isEqualTo(yuan(1000 - bobAmount - carolAmount));
            assertThat(viewer.driver().findElements(By.cssSelector("[data-testid=best-luck]"))).hasSize(1);
            viewer.visible(By.cssSelector("[data-testid=claim][data-user-id=" + bestUser + "] [data-testid=best-luck]"));
            assertThat(viewer.textOf(By.cssSelector("[data-testid=result-summary]"))).contains("¥10.00 in total, opened in 12 s");
        }
        alice.screenshot("result");
        bob.screenshot("result-bob");
        alice.click(By.cssSelector(".back"));
        alice.visible(By.cssSelector("[data-testid=packet-bubble][data-packet-id='" + packetId + "'][data-status=FINISHED]"));
        alice.waitForText(TIMELINE, "Your red packet was all opened in 12 s");
        assertThat(timelineOrder(alice)).containsExactly("packet:" + earlier, "packet:" + packetId,
                "line:Bob opened your red packet", "line:Carol opened your red packet",
                "line:Your red packet was all opened in 12 s");
        alice.screenshot("chat-after");
        bob.click(By.cssSelector(".back"));
        bob.waitForText(TIMELINE, "Alice's red packet was all opened in 12 s");
        assertThat(timelineOrder(bob)).containsExactly("packet:" + earlier, "line:You opened Carol's red packet",
                "packet:" + packetId, "line:You opened Alice's red packet", "line:Alice's red packet was all opened in 12 s");
        assertThat(server.admin.get("/v1/admin/audit").expectStatus(200).json().get("balanced").asBoolean()).isTrue();
    }

    @Test
    void aChineseBrowserGetsChineseAndTheSwitchChangesTheLanguageForGood() {
        ApiClient aliceApi = person("alice", "Alice");
        ApiClient bobApi = person("bob", "Bob");
        server.admin.post("/v1/admin/groups", "{\"groupId\":\"team\",\"name\":\"Team\",\"members\":[\"alice\",\"bob\"]}")
                .expectStatus(201);
        server.deposit("alice", 1_000, "bank-alice");
        String packetId = aliceApi.post("/v1/packets",
                "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"team\",\"total\":200,\"count\":1,\"greeting\":\"Hi\"}")
                .expectStatus(201).json().get("id").asText();
        Browser alice = loggedIn("alice", WIDTH, HEIGHT, "zh-CN");
        alice.visible(bubble(packetId));
        assertThat(alice.textOf(By.cssSelector("[data-testid=send-packet]"))).isEqualTo("发红包");
        assertThat(alice.textOf(By.cssSelector("[data-testid=packet-bubble] .pb-state"))).isEqualTo("领取红包");
        assertThat(labels(alice)).doesNotContain("Send red packet", "Open it", "Wallet", "Red packet", "Groups");

        server.clock.advance(Duration.ofSeconds(7));
        bobApi.post("/v1/packets/" + packetId + "/open", null).expectStatus(200);
        alice.waitForText(TIMELINE, "Bob领取了你的红包");
        alice.waitForText(TIMELINE, "你的红包7秒被领完");
        alice.screenshot("chat-zh");

        // The switch: English at once, and still English after a reload; then back to 中文.
        alice.click(By.cssSelector("[data-testid=lang-en]"));
        alice.waitForText(By.cssSelector("[data-testid=send-packet]"), "Send red packet");
        alice.waitForText(TIMELINE, "Bob opened your red packet");
        assertThat(labels(alice)).doesNotContainPattern(HAN);
        alice.driver().navigate().refresh();
        alice.waitForText(TIMELINE, "Your red packet was all opened in 7 s");
        assertThat(alice.textOf(By.cssSelector("[data-testid=send-packet]"))).isEqualTo("Send red packet");
        assertThat(alice.script("return document.documentElement.lang")).isEqualTo("en");
        alice.click(By.cssSelector("[data-testid=lang-zh]"));
        alice.waitForText(By.cssSelector("[data-testid=send-packet]"), "发红包");
        alice.driver().navigate().refresh();
        alice.waitForText(TIMELINE, "Bob领取了你的红包");
        assertThat(alice.script("return document.documentElement.lang")).isEqualTo("zh-CN");
    }

    @Test
    void bobFindsPersonalPacketsInHisInboxOpensOneAndSeesItInHisWallet() throws Exception {
        person("alice", "Alice");
        ApiClient bobApi = person("bob", "Bob");
        server.group("family", List.of("alice", "bob"));
        server.deposit("alice", 10_000, "bank-alice");
        // A shop's sendredpack packet to Bob, sent before Alice's: a personal packet from the merchant's wallet user.
        String mch = "1900000109";
        MerchantClient shop = server.merchant(mch, "wxapp", "192006250b4c09247ec02edce69f6a2d", SignType.MD5);
        server.bindOpenid(mch, "oBob", "bob");
        server.deposit("mch." + mch, 10_000, "mch-topup");
        assertThat(shop.sendRedpack(MerchantApiTest.redpack("B0001", "oBob", 500)).isSuccess()).isTrue();
        server.clock.advance(Duration.ofMinutes(1));

        // Alice sends to Bob from the page: "Send to a friend", Bob picked from her groups' members.
        Browser alice = loggedIn("alice", WIDTH, HEIGHT);
        alice.click(By.cssSelector("[data-testid=nav-inbox]"));
        alice.click(By.cssSelector("[data-testid=send-to-friend]"));
        alice.click(By.cssSelector("[data-testid=friend-choice][data-user-id=bob]"));
        alice.type(By.id("friend-amount"), "8.88");
        alice.type(By.id("friend-greeting"), "生日快乐");
        alice.settled();
        alice.screenshot("send-to-friend");
        alice.click(By.cssSelector("[data-testid=friend-submit]"));
        // Sent, it shows in their 1:1 chat; tapped, Alice's own packet shows its details.
        alice.visible(By.cssSelector("[data-testid=dm-timeline][data-user-id=bob]"));
        alice.click(By.cssSelector(".msg.mine [data-testid=packet-bubble]"));
        WebElement sentPage = alice.visible(By.cssSelector("[data-testid=result][data-status=ACTIVE]"));
        String packetId = sentPage.getAttribute("data-packet-id");
        assertThat(alice.textOf(By.cssSelector("[data-testid=result-summary]"))).isEqualTo("¥8.88 for Bob, not opened yet");
        JsonNode sent = bobApi.get("/v1/packets/" + packetId).expectStatus(200).json();
        assertThat(sent.get("kind").asText()).isEqualTo("PERSONAL");
        assertThat(sent.get("toUserId").asText()).isEqualTo("bob");
        assertThat(sent.get("total").asLong()).isEqualTo(888);

        // Bob sees two to open, finds Alice's in "Packets for you" (the shop's under it) and opens it with 開.
        server.clock.advance(Duration.ofSeconds(30));
        Browser bob = loggedIn("bob", WIDTH, HEIGHT);
        bob.waitForText(By.cssSelector("[data-testid=inbox-badge]"), "2");
        bob.click(By.cssSelector("[data-testid=nav-inbox]"));
        bob.visible(bubble(packetId));
        assertThat(bob.driver().findElements(By.cssSelector("[data-testid=inbox] [data-testid=packet-bubble]")))
                .extracting(e -> e.getAttribute("data-packet-id")).hasSize(2).first().isEqualTo(packetId);
        bob.settled();
        bob.screenshot("inbox");
        bob.click(bubble(packetId));
        bob.click(By.cssSelector("[data-testid=open-button]"));
        bob.visible(By.cssSelector("[data-testid=result][data-packet-id='" + packetId + "'][data-status=FINISHED]"));
        assertThat(bob.textOf(By.cssSelector("[data-testid=my-amount]"))).isEqualTo("8.88");
        assertThat(bobApi.get("/v1/packets/" + packetId).expectStatus(200).json().get("myClaim").get("amount").asLong())
                .isEqualTo(888);

        // 零钱: the claim links to its packet, the withdrawal shows as money out; older lines come page by page.
        for (int i = 1; i <= 20; i++) {
            server.deposit("bob", 1, "bank-bob-" + i);
        }
        server.admin.post("/v1/admin/users/bob/withdrawals", "{\"amount\":300,\"reference\":\"payout-1\"}").expectStatus(201);
        bob.click(By.cssSelector(".back"));
        bob.visible(By.cssSelector("[data-testid=dm-timeline][data-user-id=alice]"));
        bob.click(By.cssSelector("[data-testid=nav-wallet]"));
        bob.waitForText(By.cssSelector("[data-testid=wallet-page-balance]"), "6.08");
        By lines = By.cssSelector("[data-testid=wallet-line]");
        assertThat(bob.driver().findElements(lines)).hasSize(20);
        WebElement newest = bob.driver().findElements(lines).get(0);
        assertThat(newest.getAttribute("data-kind")).isEqualTo("WITHDRAWAL");
        assertThat(newest.findElement(By.cssSelector("[data-testid=wallet-line-amount]")).getText()).isEqualTo("-¥3.00");
        assertThat(newest.findElements(By.cssSelector("[data-testid=wallet-line-packet]"))).isEmpty();
        bob.click(By.cssSelector("[data-testid=wallet-more]"));
        bob.until(d -> d.findElements(lines).size() == 22);
        By claim = By.cssSelector("[data-testid=wallet-line][data-kind=CLAIM]");
        assertThat(bob.driver().findElements(claim)).hasSize(1);
        WebElement aliceClaim = bob.driver().findElements(claim).get(0);
        assertThat(aliceClaim.findElement(By.cssSelector("[data-testid=wallet-line-amount]")).getText()).isEqualTo("+¥8.88");
        assertThat(bob.driver().findElements(By.cssSelector("[data-testid=wallet-more]")).get(0).isDisplayed()).isFalse();
        bob.until(d -> (Boolean) bob.script("const page = document.querySelector('.wallet-page');"
                + " page.scrollTop = 0; return page.scrollTop === 0;"));
        bob.settled();
        bob.screenshot("wallet");
        aliceClaim.findElement(By.cssSelector("[data-testid=wallet-line-packet]")).click();
        bob.visible(By.cssSelector("[data-testid=result][data-packet-id='" + packetId + "']"));
        assertThat(server.admin.get("/v1/admin/audit").expectStatus(200).json().get("balanced").asBoolean()).isTrue();
    }

    @Test
    void bobsRecordsShowTheYearsTotalsAfterHisOpensAndLinkToEachPacket() {
        ApiClient aliceApi = person("alice", "Alice");
        ApiClient bobApi = person("bob", "Bob");
        ApiClient carolApi = person("carol", "Carol");
        server.group("family", List.of("alice", "bob", "carol"));
        server.deposit("alice", 10_000, "bank-alice");
        server.deposit("bob", 1_000, "bank-bob");
        server.deposit("carol", 10_000, "bank-carol");
        // Two shares of 1 fen: a tie, which the earliest opener wins, so Bob's best luck is certain.
        String tie = aliceApi.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":2,\"count\":2}")
                .expectStatus(201).json().get("id").asText();
        server.clock.advance(Duration.ofSeconds(5));
        bobApi.post("/v1/packets/" + tie + "/open", null).expectStatus(200);
        carolApi.post("/v1/packets/" + tie + "/open", null).expectStatus(200);
        server.clock.advance(Duration.ofMinutes(2));
        String personal = aliceApi.post("/v1/packets",
                "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":888,\"count\":1,\"greeting\":\"生日快乐\"}")
                .expectStatus(201).json().get("id").asText();
        server.clock.advance(Duration.ofSeconds(30));
        bobApi.post("/v1/packets/" + personal + "/open", null).expectStatus(200);
        server.clock.advance(Duration.ofMinutes(1));
        String equal = carolApi.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":300,\"count\":3}")
                .expectStatus(201).json().get("id").asText();
        server.clock.advance(Duration.ofSeconds(8));
        bobApi.post("/v1/packets/" + equal + "/open", null).expectStatus(200);
        server.clock.advance(Duration.ofMinutes(1));
        String bobs = bobApi.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":200,\"count\":2}")
                .expectStatus(201).json().get("id").asText();
        server.clock.advance(Duration.ofSeconds(3));
        aliceApi.post("/v1/packets/" + bobs + "/open", null).expectStatus(200);

        // 红包记录, received: 共收到 ¥9.89 (1 + 888 + 100 fen) in 3 packets, best luck once, newest line first.
        Browser bob = loggedIn("bob", WIDTH, HEIGHT);
        bob.click(By.cssSelector("[data-testid=nav-records]"));
        bob.waitForText(By.cssSelector("[data-testid=records-total]"), "9.89");
        assertThat(bob.textOf(By.cssSelector("[data-testid=records-count]"))).isEqualTo("3");
        assertThat(bob.textOf(By.cssSelector("[data-testid=records-best]"))).isEqualTo("1");
        assertThat(bob.textOf(By.cssSelector("[data-testid=records-summary]"))).contains("Bob received in total", "Best luck");
        By lines = By.cssSelector("[data-testid=record-line]");
        bob.until(d -> d.findElements(lines).size() == 3);
        assertThat(bob.driver().findElements(lines)).extracting(e -> e.getAttribute("data-packet-id"))
                .containsExactly(equal, personal, tie);
        assertThat(bob.driver().findElements(By.cssSelector("[data-testid=record-line][data-best=true]")))
                .extracting(e -> e.getAttribute("data-packet-id")).containsExactly(tie);
        assertThat(bob.textOf(By.cssSelector("[data-testid=record-line][data-packet-id='" + personal + "'] [data-testid=record-amount]")))
                .isEqualTo("¥8.88");
        assertThat(bob.textOf(By.cssSelector("[data-testid=record-line][data-packet-id='" + tie + "']"))).contains("Alice", "Best luck");
        // English only: a lucky packet is marked "Lucky", not 拼.
        assertThat(labels(bob)).doesNotContainPattern(HAN);
        bob.settled();
        bob.screenshot("records");

        // Another open, and the page shown again has it in the totals.
        server.clock.advance(Duration.ofMinutes(1));
        String more = aliceApi.post("/v1/packets", "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":100,\"count\":1}")
                .expectStatus(201).json().get("id").asText();
        bobApi.post("/v1/packets/" + more + "/open", null).expectStatus(200);

        // Sent: what Bob sent this year, how far it was opened.
        bob.click(By.cssSelector("[data-testid=records-tab-sent]"));
        bob.visible(By.cssSelector("[data-testid=records-lines][data-role=sent]"));
        bob.waitForText(By.cssSelector("[data-testid=records-total]"), "2.00");
        assertThat(bob.textOf(By.cssSelector("[data-testid=records-count]"))).isEqualTo("1");
        assertThat(bob.driver().findElements(By.cssSelector("[data-testid=records-best]"))).isEmpty();
        assertThat(bob.textOf(By.cssSelector("[data-testid=record-line][data-packet-id='" + bobs + "']"))).contains("Opened 1/2");
        bob.click(By.cssSelector("[data-testid=records-tab-received]"));
        bob.waitForText(By.cssSelector("[data-testid=records-total]"), "10.89");
        assertThat(bob.textOf(By.cssSelector("[data-testid=records-count]"))).isEqualTo("4");

        // A Chinese phone shows them as WeChat does: Bob共收到 10.89元, 收到红包 4, 手气最佳 1.
        Browser bobPhone = loggedIn("bob", PHONE_WIDTH, PHONE_HEIGHT, "zh-CN");
        bobPhone.click(By.cssSelector("[data-testid=nav-records]"));
        bobPhone.waitForText(By.cssSelector("[data-testid=records-total]"), "10.89");
        assertThat(bobPhone.textOf(By.cssSelector("[data-testid=records-summary]"))).contains("Bob共收到", "元", "收到红包", "手气最佳");
        bobPhone.until(d -> d.findElements(lines).size() == 4);
        assertThat(bobPhone.textOf(By.cssSelector("[data-testid=record-line][data-packet-id='" + tie + "']"))).contains("手气最佳");
        bobPhone.settled();
        bobPhone.screenshot("records-zh-phone");

        // Each line links to its packet's result page, which shows the same best luck.
        bob.click(By.cssSelector("[data-testid=record-line][data-packet-id='" + tie + "'] a"));
        bob.visible(By.cssSelector("[data-testid=result][data-packet-id='" + tie + "'][data-status=FINISHED]"));
        bob.visible(By.cssSelector("[data-testid=claim][data-user-id=bob] [data-testid=best-luck]"));
    }

    @Test
    void aPersonalPacketLinkSurvivesTheLoginAndShowsTheGoldButton() {
        ApiClient aliceApi = person("alice", "Alice");
        person("bob", "Bob");
        server.deposit("alice", 10_000, "bank-alice");
        String packetId = aliceApi.post("/v1/packets",
                "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":520,\"count\":1,\"greeting\":\"想你了\"}")
                .expectStatus(201).json().get("id").asText();

        // A link sent in another app: not logged in yet, so the login comes first, then the linked packet.
        Browser bob = browser(PHONE_WIDTH, PHONE_HEIGHT);
        bob.open(server.baseUrl() + "/#/packet/" + packetId);
        bob.click(By.cssSelector("[data-testid=login-user][data-user-id=bob]"));
        bob.visible(By.cssSelector("[data-testid=result][data-packet-id='" + packetId + "'][data-status=ACTIVE]"));
        assertThat(bob.script("return location.hash")).isEqualTo("#/packet/" + packetId);
        assertThat(bob.textOf(By.cssSelector("[data-testid=result-summary]"))).isEqualTo("Not opened yet");
        bob.visible(By.cssSelector("[data-testid=result-open]"));
        bob.clickable(By.cssSelector("[data-testid=open-button]"));
        bob.settled();
        bob.screenshot("open-by-link");
        bob.click(By.cssSelector("[data-testid=open-button]"));
        bob.visible(By.cssSelector("[data-testid=result][data-packet-id='" + packetId + "'][data-status=FINISHED]"));
        assertThat(bob.textOf(By.cssSelector("[data-testid=my-amount]"))).isEqualTo("5.20");
        assertThat(bob.driver().findElements(By.cssSelector("[data-testid=result-open]"))).isEmpty();
        // the envelope closes once its spin is over; the page's poll may show the claim a moment before
        bob.until(d -> d.findElements(By.cssSelector(".overlay")).isEmpty());

        // A day later the dev login's token has expired: the page asks for a login and comes back to where it was.
        server.clock.advance(Duration.ofHours(25));
        bob.script("location.hash = '#/wallet'");
        bob.visible(By.cssSelector("[data-testid=login-user][data-user-id=bob]"));
        assertThat(bob.script("return location.hash")).isEqualTo("#/wallet");
        bob.click(By.cssSelector("[data-testid=login-user][data-user-id=bob]"));
        bob.waitForText(By.cssSelector("[data-testid=wallet-page-balance]"), "5.20");
        assertThat(bob.script("return location.hash")).isEqualTo("#/wallet");
    }

    @Test
    void anExpiredPacketShowsTheSenderTheRefundAndOthersThatItExpired() {
        ApiClient alice = person("alice", "Alice");
        ApiClient bob = person("bob", "Bob");
        person("carol", "Carol");
        person("dave", "Dave");
        // four shares need four members: a group packet has at most one share per member
        server.group("family", List.of("alice", "bob", "carol", "dave"));
        server.deposit("alice", 10_000, "bank-1");
        String id = alice.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":888,\"count\":4}")
                .expectStatus(201).json().get("id").asText();
        long bobAmount = bob.post("/v1/packets/" + id + "/open", null).expectStatus(200).json().get("amount").asLong();
        server.clock.advance(Duration.ofHours(25));
        assertThat(server.app.expiryJob().runOnce()).isEqualTo(1);

        Browser browser = loggedIn("alice", WIDTH, HEIGHT);
        browser.visible(By.cssSelector("[data-testid=packet-bubble][data-packet-id='" + id + "'][data-status=EXPIRED]"));
        browser.click(bubble(id));
        assertThat(browser.textOf(By.cssSelector("[data-testid=open-message]"))).contains("expired");
        browser.click(By.cssSelector("[data-testid=open-details]"));
        assertThat(browser.textOf(By.cssSelector("[data-testid=status-notice][data-kind=refunded]")))
                .contains("¥" + yuan(888 - bobAmount) + " unopened was refunded");
        assertThat(browser.textOf(By.cssSelector("[data-testid=result-summary]")))
                .isEqualTo("Opened 1/4, ¥" + yuan(bobAmount) + "/¥8.88");
        browser.screenshot("result-expired-sender");

        // the same browser as Bob: he sees his share and that the packet expired, not the refund
        browser.open(server.baseUrl() + "/#/login");
        browser.click(By.cssSelector("[data-testid=login-user][data-user-id=bob]"));
        browser.visible(By.cssSelector("[data-testid=timeline]"));
        browser.open(server.baseUrl() + "/#/packet/" + id);
        assertThat(browser.textOf(By.cssSelector("[data-testid=status-notice][data-kind=expired]"))).contains("expired");
        assertThat(browser.textOf(By.cssSelector("[data-testid=my-amount]"))).isEqualTo(yuan(bobAmount));
        assertThat(browser.driver().findElements(By.cssSelector("[data-testid=status-notice][data-kind=refunded]"))).isEmpty();
    }

    @Test
    void theOperatorSeesLiveOpensTheAuditAndTheLastRefunds() throws Exception {
        int crowd = 40;
        List<String> members = new ArrayList<>();
        List<ApiClient> openers = new ArrayList<>();
        ApiClient alice = person("alice", "Alice");
        members.add("alice");
        for (int i = 1; i <= crowd; i++) {
            members.add("u" + i);
            openers.add(person("u" + i, "User " + i));
        }
        server.group("crowd", members);
        server.deposit("alice", 100_000, "bank-1");
        String expiring = alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"crowd\",\"total\":900,\"count\":3}")
                .expectStatus(201).json().get("id").asText();
        openers.get(0).post("/v1/packets/" + expiring + "/open", null).expectStatus(200);
        server.clock.advance(Duration.ofHours(25));
        assertThat(server.app.expiryJob().runOnce()).isEqualTo(1);

        Browser operator = browser();
        operator.open(server.baseUrl() + "/#/operator");
        operator.type(By.id("admin-key"), "not-the-key");
        operator.click(By.cssSelector("[data-testid=admin-key-submit]"));
        assertThat(operator.textOf(By.id("admin-key-error"))).isEqualTo("This is not the admin key.");
        operator.type(By.id("admin-key"), TestServer.ADMIN_KEY);
        operator.click(By.cssSelector("[data-testid=admin-key-submit]"));

        operator.waitForText(By.cssSelector("[data-testid=audit-balanced]"), "balanced");
        assertThat(operator.textOf(By.cssSelector("[data-testid=audit-balanced]"))).isEqualTo("✓ balanced");
        assertThat(operator.textOf(By.cssSelector("[data-testid=refunds]"))).contains(expiring).contains("¥6.00");
        assertThat(operator.textOf(By.cssSelector("[data-testid=queue-depth]"))).isEqualTo("0");
        // The last open was 25 h ago by the server's clock: idle, said in words instead of stale percentiles.
        operator.waitForText(By.cssSelector("[data-testid=opens-idle]"), "no opens in the last minute");
        assertThat(operator.script("return getComputedStyle(document.querySelector('.spark')).display")).isEqualTo("none");

        // Opens paced over a few seconds, so the once-a-second rate has something to show.
        String live = alice.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"crowd\",\"total\":8000,\"count\":" + crowd + "}")
                .expectStatus(201).json().get("id").asText();
        var pacer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        try {
            pacer.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i < crowd) {
                    openers.get(i).post("/v1/packets/" + live + "/open", null).expectStatus(200);
                }
            }, 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
            // a rate above zero, with a few seconds of history drawn
            operator.until(d -> Double.parseDouble(d.findElement(By.cssSelector("[data-testid=opens-per-second]"))
                    .getText().replace("–", "0")) > 0
                    && ((Number) operator.script("return document.querySelector('.spark polyline')?.points.length ?? 0"))
                            .intValue() >= 4);
            operator.screenshot("operator");
        } finally {
            pacer.shutdownNow();
            pacer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(operator.textOf(By.cssSelector("[data-testid=batch-size]"))).isNotEqualTo("–");
        assertThat(operator.script("return document.querySelector('[data-testid=opens-idle]').hidden")).isEqualTo(true);
    }

    private static String bestLuck(JsonNode view) {
        for (JsonNode claim : view.get("claims")) {
            if (claim.get("best").asBoolean()) {
                return claim.get("userId").asText();
            }
        }
        throw new AssertionError("no best luck in " + view);
    }

    /**
     * Yuan text to fen and fen to yuan text, run by the page's own module in the browser, against BigDecimal: edge
     * cases plus a few thousand random ones from a fixed seed.
     */
    @Test
    void thePageConvertsYuanAndFenExactly() {
        Browser browser = browser();
        browser.open(server.baseUrl() + "/#/login");
        browser.visible(By.cssSelector(".login-card"));

        Random random = new Random(8_888);
        List<String> texts = new ArrayList<>(List.of("0", "0.1", "0.01", "0.10", "1", "1.", ".5", "01.50", "12.34",
                "999999999.99", "1000000000", "0.001", "-1", "1e3", "1,00", " 3.2 ", "", "  ", "0x10", "１２", "1.2.3",
                "9007199254740993", "0.07", "0.29", "1.005", "8.88", "\t66.6\n"));
        for (int i = 0; i < 4000; i++) {
            texts.add(randomAmountText(random));
        }
        List<Long> fens = new ArrayList<>(List.of(0L, 1L, 7L, 10L, 29L, 99L, 100L, 101L, 1_000L, 20_000L, 6_666L,
                99_999_999_999L, -1L, -100L, -12_345L));
        for (int i = 0; i < 4000; i++) {
            fens.add(random.nextLong(-1_000_000L, 100_000_000_000L));
        }

        @SuppressWarnings("unchecked")
        Map<String, List<Object>> answer = (Map<String, List<Object>>) browser.asyncScript("""
                const [texts, fens, done] = arguments;
                import('/js/money.js').then((m) => done({
                  parsed: texts.map((t) => { const r = m.parseYuan(t); return r.error ? null : r.fen; }),
                  formatted: fens.map((f) => m.formatFen(f)),
                }), (e) => done({ error: String(e) }));
                """, texts, fens);

        assertThat(answer).doesNotContainKey("error");
        for (int i = 0; i < texts.size(); i++) {
            Object parsed = answer.get("parsed").get(i);
            assertThat(parsed == null ? null : ((Number) parsed).longValue())
                    .as("parseYuan(%s)", texts.get(i)).isEqualTo(expectedFen(texts.get(i)));
        }
        for (int i = 0; i < fens.size(); i++) {
            assertThat(answer.get("formatted").get(i)).as("formatFen(%d)", fens.get(i))
                    .isEqualTo(BigDecimal.valueOf(fens.get(i), 2).toPlainString());
        }
    }

    private static final Pattern YUAN = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,2})?");

    /** What the page must answer: the exact fen of a well-formed amount, none for anything else. */
    private static Long expectedFen(String text) {
        String trimmed = text.strip();
        return YUAN.matcher(trimmed).matches() ? new BigDecimal(trimmed).movePointRight(2).longValueExact() : null;
    }

    private static String randomAmountText(Random random) {
        StringBuilder text = new StringBuilder();
        if (random.nextInt(20) == 0) {
            text.append(' ');
        }
        int wholeDigits = random.nextInt(12); // 0 and 10-11 digits are refused
        for (int i = 0; i < wholeDigits; i++) {
            text.append((char) ('0' + random.nextInt(10)));
        }
        if (random.nextBoolean()) {
            text.append('.');
            int fractionDigits = random.nextInt(4); // 0 and 3 are refused
            for (int i = 0; i < fractionDigits; i++) {
                text.append((char) ('0' + random.nextInt(10)));
            }
        }
        if (random.nextInt(15) == 0) {
            text.insert(random.nextInt(text.length() + 1), "-+e,x ".charAt(random.nextInt(6)));
        }
        return text.toString();
    }
}
