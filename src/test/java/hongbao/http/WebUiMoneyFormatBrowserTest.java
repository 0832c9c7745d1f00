package hongbao.http;

import static hongbao.http.WebUiPeople.DESKTOP_HEIGHT;
import static hongbao.http.WebUiPeople.DESKTOP_WIDTH;
import static org.assertj.core.api.Assertions.assertThat;

import hongbao.testing.ApiClient;
import hongbao.testing.Browser;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * One money format per language on every page: "¥8.88" in English, "8.88元" in Chinese, never "yuan" and never both on
 * one screen; and the language's own words and punctuation (no 拼 on English pages, no ASCII comma in Chinese).
 */
class WebUiMoneyFormatBrowserTest {
    private WebUiPeople people;

    @BeforeAll
    static void needsChromium() {
        WebUiPeople.needChromium();
    }

    @BeforeEach
    void start() {
        people = new WebUiPeople();
    }

    @AfterEach
    void stop() {
        people.close();
    }

    @Test
    void englishPagesShowYuanSignAmountsAndNoChineseBadge() {
        walk("en-US");
    }

    @Test
    void chinesePagesShowYuanUnitAmountsAndChinesePunctuation() {
        walk("zh-CN");
    }

    private void walk(String language) {
        ApiClient alice = people.person("alice", "Alice");
        ApiClient bob = people.person("bob", "Bob");
        people.person("carol", "Carol");
        // three members: a group packet has at most one share per member
        people.server.group("family", List.of("alice", "bob", "carol"));
        people.server.deposit("alice", 10_000, "bank-alice");
        people.server.deposit("bob", 10_000, "bank-bob");
        // Alice's lucky packet, one share of three opened: her result page reads "opened 1/3, x of 8.88".
        String mine = alice.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":888,\"count\":3}")
                .expectStatus(201).json().get("id").asText();
        people.server.clock.advance(Duration.ofSeconds(3));
        bob.post("/v1/packets/" + mine + "/open", null).expectStatus(200);
        // Bob's lucky packet that Alice opened, and his personal one to her: her received records and her inbox.
        String bobs = bob.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":300,\"count\":2}")
                .expectStatus(201).json().get("id").asText();
        alice.post("/v1/packets/" + bobs + "/open", null).expectStatus(200);
        String personal = bob.post("/v1/packets", "{\"kind\":\"PERSONAL\",\"toUserId\":\"alice\",\"total\":579,\"count\":1}")
                .expectStatus(201).json().get("id").asText();
        boolean zh = language.startsWith("zh");

        Browser browser = people.loggedIn("alice", DESKTOP_WIDTH, DESKTOP_HEIGHT, language);
        browser.visible(By.cssSelector("[data-testid=packet-bubble][data-packet-id='" + mine + "']"));
        browser.waitForText(By.cssSelector("[data-testid=wallet-balance]"), ".");
        WebUiPeople.assertOneMoneyFormat(browser, language);

        // The sender's result page: what is opened of the total, and what returns if the rest stays unopened.
        browser.open(people.server.baseUrl() + "/#/packet/" + mine);
        String summary = browser.textOf(By.cssSelector("[data-testid=result-summary]"));
        assertThat(summary).contains(zh ? "8.88元" : "¥8.88");
        if (zh) {
            assertThat(summary).doesNotContain(",").contains("已领取1/3个，");
        }
        browser.visible(By.cssSelector("[data-testid=status-notice][data-kind=refund-pending]"));
        WebUiPeople.assertOneMoneyFormat(browser, language);

        browser.open(people.server.baseUrl() + "/#/records/received");
        browser.visible(By.cssSelector("[data-testid=record-line][data-packet-id='" + bobs + "']"));
        WebUiPeople.assertOneMoneyFormat(browser, language);
        assertThat(browser.textOf(By.cssSelector("[data-testid=record-line][data-packet-id='" + bobs + "'] .lucky-badge")))
                .isEqualTo(zh ? "拼" : "Lucky");
        String records = (String) browser.script("return document.querySelector('main').innerText");
        if (!zh) {
            assertThat(records).doesNotContain("拼");
        }

        browser.open(people.server.baseUrl() + "/#/records/sent");
        browser.visible(By.cssSelector("[data-testid=record-line][data-packet-id='" + mine + "']"));
        WebUiPeople.assertOneMoneyFormat(browser, language);

        browser.open(people.server.baseUrl() + "/#/wallet");
        browser.visible(By.cssSelector("[data-testid=wallet-line]"));
        WebUiPeople.assertOneMoneyFormat(browser, language);

        browser.open(people.server.baseUrl() + "/#/dm/bob");
        browser.click(By.cssSelector("[data-packet-id='" + personal + "']"));
        browser.click(By.cssSelector("[data-testid=open-button]"));
        browser.visible(By.cssSelector("[data-testid=result][data-packet-id='" + personal + "'][data-status=FINISHED]"));
        WebUiPeople.assertOneMoneyFormat(browser, language);
        browser.settled();
        browser.screenshot("money-result-" + (zh ? "zh" : "en"));

        // The send dialog's total, as it is typed.
        browser.open(people.server.baseUrl() + "/#/chat/family");
        browser.click(By.cssSelector("[data-testid=send-packet]"));
        browser.type(By.id("send-count"), "2");
        browser.type(By.id("send-amount"), "6.66");
        browser.waitForText(By.cssSelector("[data-testid=send-total]"), "6.66");
        assertThat(WebUiPeople.assertOneMoneyFormat(browser, language)).contains(zh ? "6.66元" : "¥6.66");
    }
}
