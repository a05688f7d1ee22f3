package dev.sparkgateway.testing;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;

/**
 * Debian's Chromium, headless at 1280x800, driven through Debian's chromedriver (no browser or
 * driver download). {@link #close()} quits the browser and stops the driver; a {@link ProcessGuard}
 * kills the driver if the test JVM dies first.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();

    public final ChromeDriver driver;
    public final Path downloads;
    private final ChromeDriverService service;
    private final List<ProcessGuard> guards;

    private Browser(ChromeDriverService service, ChromeDriver driver, Path downloads, List<ProcessGuard> guards) {
        this.service = service;
        this.driver = driver;
        this.downloads = downloads;
        this.guards = guards;
    }

    /** Skips the calling test, saying why, when Debian's chromium or chromedriver is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "console browser tests skipped: no " + CHROMIUM + " or " + CHROMEDRIVER
                        + " (apt-get install chromium chromium-driver; .ci/run installs them)");
    }

    public static Browser start() {
        assumeInstalled();
        try {
            Path downloads = Files.createDirectories(Path.of("target", "console-downloads").toAbsolutePath());
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            service.start();
            List<ProcessHandle> drivers = ProcessHandle.current().children()
                    .filter(p -> p.info().command().orElse("").contains("chromedriver")).toList();
            if (drivers.size() != 1) {
                service.stop();
                throw new IllegalStateException("expected one chromedriver child process, found " + drivers);
            }
            List<ProcessGuard> guards = new ArrayList<>(List.of(ProcessGuard.of(drivers.get(0), "KILL")));
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--window-size=1280,800", "--no-sandbox", "--disable-dev-shm-usage",
                    "--disable-gpu", "--no-first-run", "--disable-extensions", "--lang=en-US");
            // A download starts once its chunks are fetched, after the click's user activation expired:
            // Chromium would ask (once per site) before a second such download.
            options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false,
                    "profile.default_content_setting_values.automatic_downloads", 1));
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriver driver;
            try {
                driver = new ChromeDriver(service, options);
            } catch (RuntimeException e) {
                service.stop();
                guards.forEach(ProcessGuard::terminate);
                guards.forEach(ProcessGuard::close);
                throw e;
            }
            // The browser is the driver's child: guarded too, as it outlives a killed driver (its
            // renderers end with it).
            drivers.get(0).children().forEach(p -> guards.add(ProcessGuard.of(p, "KILL")));
            Browser browser = new Browser(service, driver, downloads, guards);
            browser.viewport(1280, 800);
            return browser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's own size (the window's, less nothing: headless has no browser chrome to subtract). */
    public void viewport(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public <T> T await(Duration timeout, Function<WebDriver, T> condition) {
        // The grid re-renders its rows while a condition reads them: a stale row is read again.
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }

    public <T> T await(Function<WebDriver, T> condition) {
        return await(Duration.ofSeconds(30), condition);
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Replaces the editor's text (typing it key by key adds nothing but time). */
    public void sql(String text) {
        js("consoleEditor.setValue(arguments[0]); consoleEditor.focus();", text);
    }

    /** Ctrl+Enter in the editor: runs the selection, or everything. */
    public void runFromKeyboard() {
        find(".CodeMirror textarea").sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
    }

    /** Waits for the shown statement to reach {@code state} (SUCCEEDED, FAILED, CANCELED). */
    public void awaitState(String state, Duration timeout) {
        await(timeout, d -> state.equals(find("#state").getAttribute("data-state"))
                && "false".equals(find("body").getAttribute("data-running")));
    }

    /** Types {@code text} into the editor, runs it with Ctrl+Enter and waits until it SUCCEEDED. */
    public void runToSuccess(String text) {
        sql(text);
        runFromKeyboard();
        awaitState("SUCCEEDED", Duration.ofSeconds(30));
    }

    public void keys(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of the first element matching {@code css}, read in one step (rows re-render), or null. */
    public String text(String css) {
        return (String) js("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
    }

    /** After a failure: a screenshot and what the page logged, for the report. */
    public String evidence(String name) {
        Path shot = screenshot("failed-" + name);
        String log = driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(Object::toString)
                .collect(Collectors.joining("\n"));
        return "screenshot " + shot + "; browser log:\n" + log;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            guards.forEach(ProcessGuard::terminate);
            guards.forEach(ProcessGuard::close);
        }
    }
}
