package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hongbao.testing.ApiClient;
import hongbao.testing.Browser;
import hongbao.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.openqa.selenium.By;

/**
 * What the web UI's browser tests share: people with names and tokens, a browser per person logged in through the
 * dev login, all closed with the server; and the one money format per language, checked on a whole screen.
 */
final class WebUiPeople implements AutoCloseable {
    static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;
    static final int DESKTOP_WIDTH = 1000;
    static final int DESKTOP_HEIGHT = 700;

    final TestServer server = TestServer.start();
    private final List<Browser> browsers = new ArrayList<>();

    static void needChromium() {
        assumeTrue(Browser.installed(), "no Chromium installed: " + Browser.CHROMIUM + " or " + Browser.CHROMEDRIVER
                + " is missing, so the browser test is skipped (apt-get install chromium chromium-driver; .ci/run does)");
    }

    /** A user with a display name, and an API client holding their token. */
    ApiClient person(String userId, String name) {
        server.admin.post("/v1/admin/users", "{\"userId\":\"" + userId + "\",\"name\":\"" + name + "\"}").expectOk();
        String token = server.admin.post("/v1/admin/users/" + userId + "/tokens", "{\"ttlSeconds\":2592000}")
                .expectStatus(201).json().get("token").asText();
        return new ApiClient(server.baseUrl(), token);
    }

    /** A browser of this size and language, logged in as the user: it shows the chat list (home). */
    Browser loggedIn(String userId, int width, int height, String language) {
        Browser browser = new Browser(width, height, language);
        browsers.add(browser);
        browser.open(server.baseUrl() + "/#/login");
        browser.click(By.cssSelector("[data-testid=login-user][data-user-id=" + userId + "]"));
        browser.visible(By.cssSelector("[data-testid=sidebar]"));
        return browser;
    }

    /** "¥8.88", "+¥8.88", "-3.00元", "8.88 yuan": anything on a screen that reads as an amount. */
    private static final Pattern EN_AMOUNT = Pattern.compile("[+-]?¥\\d+\\.\\d\\d");
    private static final Pattern ZH_AMOUNT = Pattern.compile("[+-]?\\d+\\.\\d\\d元");

    /**
     * Every amount the screen shows (its visible text, dialogs included) reads the one way of its language: "¥8.88" in
     * English, "8.88元" in Chinese; never "yuan", never the other language's way. Returns the amounts seen.
     */
    @SuppressWarnings("unchecked")
    static List<String> assertOneMoneyFormat(Browser browser, String language) {
        String text = (String) browser.script("return document.body.innerText");
        List<String> amounts = (List<String>) browser.script(
                "return document.body.innerText.match(/[+-]?(¥\\s*)?\\d+\\.\\d\\d(\\s*元|\\s*yuan)?/g) ?? []");
        assertThat(amounts).as("amounts on %s", browser.script("return location.hash")).isNotEmpty()
                .allMatch((language.startsWith("zh") ? ZH_AMOUNT : EN_AMOUNT).asMatchPredicate());
        assertThat(text).doesNotContain("yuan");
        if (!language.startsWith("zh")) {
            assertThat(text).doesNotContain("元");
        }
        return amounts;
    }

    @Override
    public void close() {
        try {
            browsers.forEach(Browser::close);
        } finally {
            server.close();
        }
    }
}
