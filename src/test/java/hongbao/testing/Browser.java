package hongbao.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium, driven through Debian's chromedriver: a separate browser profile per instance, so two
 * instances are two people. Paths default to Debian's packages (chromium, chromium-driver) and can be moved with
 * HONGBAO_TEST_CHROMIUM and HONGBAO_TEST_CHROMEDRIVER.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of(envOr("HONGBAO_TEST_CHROMIUM", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(envOr("HONGBAO_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * Selenium warns on every start when Debian's Chromium is newer than the newest DevTools bindings it ships. This
     * class uses none: {@code executeCdpCommand} is a plain WebDriver command. Held here so that the logger, and the
     * level set on it, outlive garbage collection.
     */
    private static final Logger CDP_VERSION_FINDER = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

    private final Path profile;
    private final ChromeDriver driver;
    private final WebDriverWait wait;

    /** True when both the browser and its driver are there; tests that need them are skipped otherwise. */
    public static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    public Browser(int width, int height) {
        this(width, height, "en-US");
    }

    /** language: the browser's preferred language (navigator.languages[0]), e.g. "zh-CN". */
    public Browser(int width, int height, String language) {
        try {
            this.profile = Files.createTempDirectory("hongbao-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // This machine has no way out: without these, Chromium waits on network lookups for updates, sync and such.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "--force-device-scale-factor=1", "--lang=" + language);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        // The driver is given explicitly, so Selenium Manager never tries to download one.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        this.wait = new WebDriverWait(driver, WAIT);
        fitViewport(width, height);
    }

    /**
     * Makes the page exactly width x height CSS pixels, whatever the window around it (headless windows have a
     * minimum width), and phone-like below 600 pixels.
     */
    private void fitViewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", width < 600));
    }

    /** Waits until no CSS animation or transition runs (a dialog has popped in), so a screenshot shows it at rest. */
    public void settled() {
        wait.until(d -> (Boolean) driver.executeScript(
                "return document.getAnimations().every((a) => a.playState !== 'running')"));
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebDriver driver() {
        return driver;
    }

    public <T> T until(Function<WebDriver, T> condition) {
        return wait.until(condition);
    }

    /** The element once it is visible. */
    public WebElement visible(By locator) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    public WebElement clickable(By locator) {
        return wait.until(ExpectedConditions.elementToBeClickable(locator));
    }

    /**
     * Clicks the element once it is clickable. A polled page may redraw between finding the element and clicking it
     * (the result page does when a claim is credited): then the element is found again and clicked.
     */
    public void click(By locator) {
        wait.until(d -> {
            WebElement element = ExpectedConditions.elementToBeClickable(locator).apply(d);
            if (element == null) {
                return false;
            }
            try {
                element.click();
                return true;
            } catch (StaleElementReferenceException redrawn) {
                return false;
            }
        });
    }

    public void type(By locator, String text) {
        WebElement input = visible(locator);
        input.clear();
        input.sendKeys(text);
    }

    /** Waits until the element's text is non-empty and returns it. */
    public String textOf(By locator) {
        return wait.until(d -> {
            List<WebElement> found = d.findElements(locator);
            String text = found.isEmpty() ? "" : found.get(0).getText().strip();
            return text.isEmpty() ? null : text;
        });
    }

    public void waitForText(By locator, String expected) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(locator, expected));
    }

    public Object script(String javascript, Object... args) {
        return driver.executeScript(javascript, args);
    }

    public Object asyncScript(String javascript, Object... args) {
        return driver.executeAsyncScript(javascript, args);
    }

    /** Saves the viewport as target/screenshots/{name}.png, a test artifact. */
    public Path screenshot(String name) {
        Path target = SCREENSHOTS.resolve(name + ".png");
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary profile is harmless; the test's outcome does not depend on it.
            System.err.println("could not delete browser profile " + dir + ": " + e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.OFF);
        return logger;
    }
}
