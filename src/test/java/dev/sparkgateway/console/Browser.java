package dev.sparkgateway.console;

import dev.sparkgateway.testing.ProcessGuard;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Debian's Chromium, headless at 1280x800, driven through Debian's chromedriver (no browser or
 * driver download). {@link #close()} quits the browser and stops the driver; a {@link ProcessGuard}
 * kills the driver if the test JVM dies first.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();

    final ChromeDriver driver;
    final Path downloads;
    private final ChromeDriverService service;
    private final List<ProcessGuard> guards;

    private Browser(ChromeDriverService service, ChromeDriver driver, Path downloads, List<ProcessGuard> guards) {
        this.service = service;
        this.driver = driver;
        this.downloads = downloads;
        this.guards = guards;
    }

    /** Skips the calling test, saying why, when Debian's chromium or chromedriver is not installed. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "console browser tests skipped: no " + CHROMIUM + " or " + CHROMEDRIVER
                        + " (apt-get install chromium chromium-driver; .ci/run installs them)");
    }

    static Browser start() {
        assumeInstalled();
        try {
            Path downloads = Files.createDirectories(Path.of("target", "console-downloads").toAbsolutePath());
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            service.start();
            List<ProcessGuard> guards = ProcessHandle.current().children()
                    .filter(p -> p.info().command().orElse("").endsWith("chromedriver"))
                    .map(p -> ProcessGuard.of(p, "KILL")).toList();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--window-size=1280,800", "--no-sandbox", "--disable-dev-shm-usage",
                    "--disable-gpu", "--no-first-run", "--disable-extensions", "--lang=en-US");
            options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false));
            ChromeDriver driver;
            try {
                driver = new ChromeDriver(service, options);
            } catch (RuntimeException e) {
                service.stop();
                guards.forEach(ProcessGuard::close);
                throw e;
            }
            driver.manage().window().setSize(new Dimension(1280, 800));
            return new Browser(service, driver, downloads, guards);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    <T> T await(Duration timeout, Function<ChromeDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).until(condition::apply);
    }

    <T> T await(Function<ChromeDriver, T> condition) {
        return await(Duration.ofSeconds(30), condition);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Replaces the editor's text (typing it key by key adds nothing but time). */
    void sql(String text) {
        js("consoleEditor.setValue(arguments[0]); consoleEditor.focus();", text);
    }

    /** Ctrl+Enter in the editor: runs the selection, or everything. */
    void runFromKeyboard() {
        find(".CodeMirror textarea").sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
    }

    /** Waits for the shown statement to reach {@code state} (SUCCEEDED, FAILED, CANCELED). */
    void awaitState(String state, Duration timeout) {
        await(timeout, d -> state.equals(find("#state").getAttribute("data-state"))
                && "false".equals(find("body").getAttribute("data-running")));
    }

    void keys(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
