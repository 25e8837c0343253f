package io.taskbound.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The system's headless Chromium, driven through its own chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}): Selenium is never let to download a browser. Where they are missing the
 * tests are skipped with how to install them, except under {@code CI=true}, where they must run.
 */
public final class Chromium implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static final List<String> BROWSERS =
            List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    private static final List<String> DRIVERS =
            List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver", "/usr/bin/chromium-driver");

    public final ChromeDriver driver;
    private final String base;

    private Chromium(ChromeDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    /**
     * Opens a browser whose every request carries HTTP Basic credentials, as a browser does once its
     * user has answered the sign-in prompt.
     */
    public static Chromium open(String base, String username, String password) {
        String browser = find(BROWSERS, "TASKBOUND_CHROMIUM");
        String chromedriver = find(DRIVERS, "TASKBOUND_CHROMEDRIVER");
        if (browser == null || chromedriver == null) {
            String how =
                    "The dashboard's browser tests need Chromium and its driver: install them with `apt-get install"
                            + " chromium chromium-driver` (or set TASKBOUND_CHROMIUM and TASKBOUND_CHROMEDRIVER to their paths)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(how + "; under CI=true the browser tests must run, not be skipped");
            }
            Assumptions.abort(how);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser);
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        String token = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand(
                "Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", "Basic " + token)));
        return new Chromium(driver, base);
    }

    private static String find(List<String> candidates, String variable) {
        return Optional.ofNullable(System.getenv(variable))
                .or(() -> candidates.stream()
                        .filter(path -> Files.isExecutable(Path.of(path)))
                        .findFirst())
                .orElse(null);
    }

    /** Opens a view of the dashboard, such as {@code #/jobs}, and waits for its page to show. */
    public void show(String hash, String page) {
        driver.get(base + "/taskbound/" + hash);
        await(By.cssSelector("[data-test='page-" + page + "']"));
    }

    public WebElement await(By by) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.pollingEvery(Duration.ofMillis(100));
        return wait;
    }

    public WebElement find(String test) {
        return await(By.cssSelector("[data-test='" + test + "']"));
    }

    public void click(String test) {
        waiting()
                .until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test='" + test + "']")))
                .click();
    }

    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's script errors so far: none may happen. */
    public void assertNoScriptErrors() {
        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                // A refused action logs its 4xx as a failed resource: the page shows it, it is no script error.
                .filter(entry -> !entry.getMessage().contains("Failed to load resource"))
                .toList();
        assertThat(severe).as("script errors in the browser's console").isEmpty();
    }

    static Stream<Path> screenshots() throws IOException {
        return Files.list(SCREENSHOTS);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
