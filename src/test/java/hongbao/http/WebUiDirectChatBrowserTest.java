package hongbao.http;

import static hongbao.http.WebUiPeople.DESKTOP_HEIGHT;
import static hongbao.http.WebUiPeople.DESKTOP_WIDTH;
import static org.assertj.core.api.Assertions.assertThat;

import hongbao.testing.Browser;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The 1:1 chat (#/dm/{userId}): a personal packet shows, as in WeChat, in the chat of the two people, for both: the
 * bubble, its status, and the lines of who opened it. Reached from the inbox and from the friend dialog.
 */
class WebUiDirectChatBrowserTest {
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

    private static By dm(String with) {
        return By.cssSelector("[data-testid=dm-timeline][data-user-id=" + with + "]");
    }

    private static By bubbles(String with) {
        return By.cssSelector("[data-testid=dm-timeline][data-user-id=" + with + "] [data-testid=packet-bubble]");
    }

    private static By state(String with, String packetId) {
        return By.cssSelector("[data-testid=dm-timeline][data-user-id=" + with + "] [data-packet-id='" + packetId + "'] .pb-state");
    }

    private static List<String> lines(Browser browser) {
        return browser.driver().findElements(By.cssSelector("[data-testid=chat-line]")).stream().map(e -> e.getText().strip()).toList();
    }

    @Test
    void senderAndReceiverBothSeeThePacketItsStatusAndWhoOpenedItInTheirChat() {
        people.person("alice", "Alice");
        people.person("bob", "Bob");
        people.person("carol", "Carol");
        people.server.group("family", List.of("alice", "bob", "carol"));
        people.server.deposit("alice", 10_000, "bank-alice");
        people.server.deposit("bob", 10_000, "bank-bob");

        // Alice sends from the friend dialog: she lands in her chat with Bob, where her packet waits to be opened.
        Browser alice = people.loggedIn("alice", DESKTOP_WIDTH, DESKTOP_HEIGHT, "en-US");
        alice.click(By.cssSelector("[data-testid=nav-inbox]"));
        alice.click(By.cssSelector("[data-testid=send-to-friend]"));
        alice.click(By.cssSelector("[data-testid=friend-choice][data-user-id=bob]"));
        alice.type(By.id("friend-amount"), "8.88");
        alice.type(By.id("friend-greeting"), "生日快乐");
        alice.click(By.cssSelector("[data-testid=friend-submit]"));
        alice.visible(dm("bob"));
        assertThat(alice.textOf(By.cssSelector("[data-testid=dm-title]"))).isEqualTo("Bob");
        String packetId = alice.visible(By.cssSelector(".msg.mine [data-testid=packet-bubble]")).getAttribute("data-packet-id");
        assertThat(alice.textOf(state("bob", packetId))).isEqualTo("Not opened yet");

        // Bob, in Chinese, finds it in his inbox and goes from there to his chat with Alice: the same packet, to open.
        people.server.clock.advance(Duration.ofSeconds(20));
        Browser bob = people.loggedIn("bob", DESKTOP_WIDTH, DESKTOP_HEIGHT, "zh-CN");
        bob.click(By.cssSelector("[data-testid=nav-inbox]"));
        bob.click(By.cssSelector("[data-testid=inbox] [data-testid=chat-link][data-user-id=alice]"));
        bob.visible(By.cssSelector(".msg.theirs [data-testid=packet-bubble][data-packet-id='" + packetId + "']"));
        assertThat(bob.textOf(state("alice", packetId))).isEqualTo("领取红包");
        bob.click(By.cssSelector("[data-packet-id='" + packetId + "']"));
        bob.click(By.cssSelector("[data-testid=open-button]"));
        bob.visible(By.cssSelector("[data-testid=result][data-packet-id='" + packetId + "'][data-status=FINISHED]"));
        assertThat(bob.textOf(By.cssSelector("[data-testid=my-amount]"))).isEqualTo("8.88");
        // back from the packet to the chat it came from
        bob.click(By.cssSelector(".back"));
        bob.visible(dm("alice"));
        bob.waitForText(state("alice", packetId), "已领取");
        bob.waitForText(dm("alice"), "你领取了Alice的红包");

        // Alice's chat, polled, shows the same: opened, and by whom.
        alice.waitForText(dm("bob"), "Bob opened your red packet");
        assertThat(alice.textOf(state("bob", packetId))).isEqualTo("Opened");
        assertThat(lines(alice)).containsExactly("Bob opened your red packet");

        // Bob thanks her from the chat itself: his packet joins the chat, below hers, on both sides.
        people.server.clock.advance(Duration.ofMinutes(1));
        bob.click(By.cssSelector("[data-testid=dm-send]"));
        assertThat(bob.script("return document.getElementById('friend-to').value")).isEqualTo("alice");
        bob.type(By.id("friend-amount"), "1.00");
        bob.type(By.id("friend-greeting"), "谢谢");
        bob.click(By.cssSelector("[data-testid=friend-submit]"));
        bob.until(d -> d.findElements(bubbles("alice")).size() == 2);
        String thanks = bob.visible(By.cssSelector(".msg.mine [data-testid=packet-bubble]")).getAttribute("data-packet-id");
        alice.until(d -> d.findElements(bubbles("bob")).size() == 2);
        assertThat(alice.driver().findElements(bubbles("bob"))).extracting(e -> e.getAttribute("data-packet-id"))
                .containsExactly(packetId, thanks);
        alice.visible(By.cssSelector(".msg.theirs [data-packet-id='" + thanks + "']"));
        assertThat(alice.textOf(state("bob", thanks))).isEqualTo("Open it");
        alice.settled();
        alice.screenshot("dm");
        bob.waitForText(state("alice", thanks), "待领取");
        bob.settled();
        bob.screenshot("dm-zh");

        // Carol knows both, and sees nothing of their chat in hers with Alice.
        Browser carol = people.loggedIn("carol", DESKTOP_WIDTH, DESKTOP_HEIGHT, "en-US");
        carol.open(people.server.baseUrl() + "/#/dm/alice");
        carol.waitForText(dm("alice"), "No red packets between you two yet.");
        assertThat(carol.driver().findElements(By.cssSelector("[data-testid=packet-bubble]"))).isEmpty();
    }
}
