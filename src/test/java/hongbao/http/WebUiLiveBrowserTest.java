package hongbao.http;

import hongbao.testing.ApiClient;
import hongbao.testing.Browser;
import hongbao.testing.Required;
import hongbao.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The chat follows GET /v1/events/stream: with the page's fallback poll switched off, others' packets and opens still show. */
class WebUiLiveBrowserTest {
    /** Well under the fallback poll's 15 s: only the stream can bring a change this soon. */
    private static final Duration SOON = Duration.ofSeconds(5);

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

    /** Logged in, in the family chat, with every timer-driven poll of the page switched off. */
    private Browser inFamilyChatWithoutPolling(String userId) {
        Browser browser = new Browser(1200, 800);
        browsers.add(browser);
        browser.open(server.baseUrl() + "/#/login");
        browser.click(By.cssSelector("[data-testid=login-user][data-user-id=" + userId + "]"));
        browser.visible(By.cssSelector("[data-testid=timeline]"));
        browser.script("window.setInterval = () => 0; location.hash = '#/inbox';");
        browser.visible(By.cssSelector("[data-testid=inbox]"));
        browser.script("location.hash = '#/chat/family';");
        browser.visible(By.cssSelector("[data-testid=timeline]"));
        return browser;
    }

    @Test
    void oneOpensAndTheOthersBubbleFlipsWithoutAReloadOrAPoll() {
        ApiClient alice = server.user("alice");
        server.user("bob");
        server.group("family", List.of("alice", "bob"));
        server.deposit("alice", 1_000, "bank-alice");
        Browser aliceSees = inFamilyChatWithoutPolling("alice");
        Browser bobSees = inFamilyChatWithoutPolling("bob");

        String packet = alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":100,\"count\":1}")
                .expectStatus(201).json().get("id").asText();
        By bubble = By.cssSelector("[data-testid=packet-bubble][data-packet-id='" + packet + "']");
        new WebDriverWait(bobSees.driver(), SOON).until(d -> !d.findElements(bubble).isEmpty());
        new WebDriverWait(aliceSees.driver(), SOON).until(d -> !d.findElements(bubble).isEmpty());

        bobSees.click(bubble);
        bobSees.click(By.cssSelector("[data-testid=open-button]"));
        bobSees.visible(By.cssSelector("[data-testid=result][data-packet-id='" + packet + "']"));

        By finished = By.cssSelector("[data-testid=packet-bubble][data-packet-id='" + packet + "'][data-status=FINISHED]");
        new WebDriverWait(aliceSees.driver(), SOON).until(d -> !d.findElements(finished).isEmpty());
        new WebDriverWait(aliceSees.driver(), SOON).until(d -> d.findElement(By.cssSelector("[data-testid=timeline]"))
                .getText().contains("opened your red packet"));
    }
}
