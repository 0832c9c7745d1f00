package hongbao.http;

import static hongbao.http.WebUiPeople.PHONE_HEIGHT;
import static hongbao.http.WebUiPeople.PHONE_WIDTH;
import static org.assertj.core.api.Assertions.assertThat;

import hongbao.testing.ApiClient;
import hongbao.testing.Browser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The web UI on a 390x844 phone, as WeChat is used: one full screen at a time, the chat list, then a chat under its
 * title bar with a back arrow, then a packet; never the list stacked above a chat. Screenshots in target/screenshots.
 */
class WebUiPhoneBrowserTest {
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
    void anEnglishPhoneGoesFromTheListToAChatToAPacketAndBackOneScreenAtATime() {
        walk("en-US", "en");
    }

    @Test
    void aChinesePhoneGoesFromTheListToAChatToAPacketAndBackOneScreenAtATime() {
        walk("zh-CN", "zh");
    }

    private void walk(String language, String suffix) {
        ApiClient alice = people.person("alice", "Alice");
        people.person("bob", "Bob");
        ApiClient carol = people.person("carol", "Carol");
        people.server.admin.post("/v1/admin/groups",
                "{\"groupId\":\"family\",\"name\":\"Family 相亲相爱\",\"members\":[\"alice\",\"bob\",\"carol\"]}").expectStatus(201);
        people.server.deposit("alice", 20_000, "bank-alice");
        String lucky = alice.post("/v1/packets",
                "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":888,\"count\":3,\"greeting\":\"新年快乐\"}")
                .expectStatus(201).json().get("id").asText();
        people.server.clock.advance(Duration.ofSeconds(5));
        carol.post("/v1/packets/" + lucky + "/open", null).expectStatus(200);
        people.server.clock.advance(Duration.ofSeconds(5));
        alice.post("/v1/packets", "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":520,\"count\":1,\"greeting\":\"想你了\"}")
                .expectStatus(201);

        // Logged in, the phone shows the chat list alone, filling the screen.
        Browser bob = people.loggedIn("bob", PHONE_WIDTH, PHONE_HEIGHT, language);
        bob.visible(By.cssSelector("[data-testid=group-link][data-group-id=family]"));
        Map<String, Object> list = layout(bob);
        assertThat(box(list, "sidebar")).containsEntry("top", 0L).containsEntry("height", (long) PHONE_HEIGHT);
        assertThat(box(list, "chat")).containsEntry("shown", false);
        assertThat(box(list, "back")).containsEntry("shown", false);
        bob.waitForText(By.cssSelector("[data-testid=inbox-badge]"), "1");
        bob.settled();
        bob.screenshot("phone-list-" + suffix);

        // A chat: full screen under its title bar; no list above it; the back arrow at the bar's left end.
        bob.click(By.cssSelector("[data-testid=group-link][data-group-id=family]"));
        bob.visible(By.cssSelector("[data-testid=packet-bubble][data-packet-id='" + lucky + "']"));
        assertFullScreenPage(bob);
        Map<String, Object> chat = layout(bob);
        assertThat(box(chat, "timeline")).extractingByKey("top").isEqualTo(box(chat, "head").get("bottom"));
        assertThat((Long) box(chat, "timeline").get("height")).isGreaterThan(PHONE_HEIGHT * 3L / 4);
        bob.settled();
        bob.screenshot("phone-chat-" + suffix);

        // The packet: opened, its result page, whose back link returns to the chat, whose back arrow to the list.
        bob.click(By.cssSelector("[data-testid=packet-bubble][data-packet-id='" + lucky + "']"));
        bob.click(By.cssSelector("[data-testid=open-button]"));
        bob.visible(By.cssSelector("[data-testid=result][data-packet-id='" + lucky + "']"));
        bob.visible(By.cssSelector("[data-testid=claim][data-user-id=bob]"));
        bob.until(d -> d.findElements(By.cssSelector(".overlay")).isEmpty());
        assertThat(box(layout(bob), "sidebar")).containsEntry("shown", false);
        WebUiPeople.assertOneMoneyFormat(bob, language);
        bob.settled();
        bob.screenshot("phone-result-" + suffix);
        bob.click(By.cssSelector(".back"));
        bob.visible(By.cssSelector("[data-testid=timeline]"));
        assertFullScreenPage(bob);
        bob.click(By.cssSelector("[data-testid=phone-back]"));
        bob.visible(By.cssSelector("[data-testid=group-link][data-group-id=family]"));
        assertThat(box(layout(bob), "chat")).containsEntry("shown", false);

        // The other pages of the list are full-screen pages too: the inbox, and from it the 1:1 chat with Alice.
        bob.click(By.cssSelector("[data-testid=nav-inbox]"));
        bob.visible(By.cssSelector("[data-testid=inbox] [data-testid=packet-bubble]"));
        assertFullScreenPage(bob);
        bob.click(By.cssSelector("[data-testid=inbox] [data-testid=chat-link][data-user-id=alice]"));
        bob.visible(By.cssSelector("[data-testid=dm-timeline][data-user-id=alice] [data-testid=packet-bubble]"));
        assertFullScreenPage(bob);
        bob.settled();
        bob.screenshot("phone-dm-" + suffix);
        bob.click(By.cssSelector("[data-testid=phone-back]"));
        bob.click(By.cssSelector("[data-testid=nav-wallet]"));
        bob.visible(By.cssSelector("[data-testid=wallet-line]"));
        assertFullScreenPage(bob);
        WebUiPeople.assertOneMoneyFormat(bob, language);
    }

    /** A page on the phone: the list hidden, the page's title bar at the very top, the back arrow on its left end. */
    private static void assertFullScreenPage(Browser browser) {
        Map<String, Object> page = layout(browser);
        assertThat(box(page, "sidebar")).as("the chat list beside a page").containsEntry("shown", false);
        assertThat(box(page, "chat")).containsEntry("top", 0L).containsEntry("height", (long) PHONE_HEIGHT)
                .containsEntry("width", (long) PHONE_WIDTH);
        assertThat(box(page, "head")).containsEntry("top", 0L).containsEntry("shown", true);
        assertThat(box(page, "back")).containsEntry("shown", true).containsEntry("top", 0L).containsEntry("left", 0L);
        assertThat((Long) box(page, "back").get("bottom")).isLessThanOrEqualTo((Long) box(page, "head").get("bottom"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> box(Map<String, Object> layout, String part) {
        return (Map<String, Object>) layout.get(part);
    }

    /** Where the shell's parts are on the screen, in CSS pixels; shown: whether they take any room. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> layout(Browser browser) {
        return (Map<String, Object>) browser.script("""
                const box = (selector) => {
                  const e = document.querySelector(selector);
                  const r = e ? e.getBoundingClientRect() : { top: 0, left: 0, bottom: 0, width: 0, height: 0 };
                  return { shown: !!e && r.width > 0 && r.height > 0, top: Math.round(r.top), left: Math.round(r.left),
                    bottom: Math.round(r.bottom), width: Math.round(r.width), height: Math.round(r.height) };
                };
                return { sidebar: box('[data-testid=sidebar]'), chat: box('.shell > main'), head: box('.shell > main > .chat-head'),
                  timeline: box('.shell > main > .timeline'), back: box('[data-testid=phone-back]') };
                """);
    }
}
