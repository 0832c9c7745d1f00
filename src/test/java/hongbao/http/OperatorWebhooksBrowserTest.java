package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.events.EventSettings;
import hongbao.store.events.EventType;
import hongbao.testing.ApiClient;
import hongbao.testing.Browser;
import hongbao.testing.Required;
import hongbao.testing.TestServer;
import hongbao.testing.WebhookReceiver;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** The operator page's webhook panel: a failing receiver's dead letters show, and a click replays them. */
class OperatorWebhooksBrowserTest {
    private final WebhookReceiver receiver = new WebhookReceiver();
    private TestServer server;
    private Browser operator;

    @BeforeAll
    static void needsChromium() {
        Required.tool(Browser.installed(), "no Chromium installed: " + Browser.CHROMIUM + " or " + Browser.CHROMEDRIVER
                + " is missing, so the browser test is skipped (apt-get install chromium chromium-driver; .ci/run does)");
    }

    @AfterEach
    void stop() {
        try {
            if (operator != null) {
                operator.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            receiver.close();
        }
    }

    @Test
    void deadLettersShowAndAClickReplaysThem() {
        EventSettings events = EventSettings.DEFAULT.withRetries(Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofSeconds(30))
                .withWebhooks(List.of(receiver.url()), "whsec-test-0123456789", EnumSet.allOf(EventType.class));
        server = TestServer.start(TestServer.config(TestServer.freshDir()).withEvents(events));
        receiver.answer(500);
        receiver.start();
        ApiClient alice = server.user("alice");
        server.user("bob");
        server.group("family", List.of("alice", "bob"));
        server.deposit("alice", 1_000, "bank-1");
        alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":100,\"count\":1}")
                .expectStatus(201);

        operator = new Browser(1200, 900);
        operator.open(server.baseUrl() + "/#/operator");
        operator.type(By.id("admin-key"), TestServer.ADMIN_KEY);
        operator.click(By.cssSelector("[data-testid=admin-key-submit]"));
        By newestLetter = By.cssSelector("[data-testid=dead-letter]:last-child");
        assertThat(operator.textOf(By.cssSelector("[data-testid=webhook]"))).contains(receiver.url().toString());
        String eventId = operator.visible(newestLetter).getAttribute("data-event-id");
        assertThat(Integer.parseInt(operator.textOf(By.cssSelector("[data-testid=webhook-dead-count]")))).isGreaterThan(0);
        operator.screenshot("operator-webhooks");

        receiver.answer(200);
        operator.click(By.cssSelector("[data-testid=dead-letter][data-event-id=" + eventId + "] [data-testid=replay]"));
        receiver.await("the replayed event taken", () -> receiver.requests().stream()
                .anyMatch(d -> d.answered() == 200 && d.deliveryId().equals(eventId)));
        operator.until(d -> d.findElements(By.cssSelector("[data-testid=dead-letter][data-event-id=" + eventId + "]")).isEmpty());
        operator.waitForText(By.cssSelector("[data-testid=webhook-backlog]"), "0");
        assertThat(operator.textOf(By.cssSelector("[data-testid=webhook-failing]"))).isEqualTo("—");
    }
}
