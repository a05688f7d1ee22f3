package dev.sparkgateway.console;

import dev.sparkgateway.testing.ApiKeyMode;
import dev.sparkgateway.testing.SparkActivity;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.sparkgateway.testing.ApiKeyMode.ROOT;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web console in Debian's Chromium against the real gateway ({@code api-key} mode) and the
 * shared Spark server: sign-in, queries and their rows, progress and cancel, a million rows,
 * downloads, parse errors, the catalog tree and the history. Screenshots go to
 * target/console-screenshots/.
 */
@QuarkusTest
@TestProfile(ApiKeyMode.class)
class ConsoleTest extends BrowserTest {

    /** As StatementLifecycleTest's: minutes of work in small tasks, so an interrupt stops it within a task. */
    static final String SLOW_QUERY = "SELECT sum(hash(id)) FROM range(0, 50000000000, 1, 5000)";
    /** A million rows over several 16 MB result chunks. */
    static final String MILLION = "SELECT id, concat('row ', id) AS label, id % 7 AS k FROM range(1000000)";
    static final String TABLE = "console_people";

    @Inject
    SparkActivity spark;

    /** Opens the console signed in with ROOT's key. */
    private void signedIn() {
        browser.driver.get(base.toString());
        browser.await(d -> browser.find("#app").isDisplayed() || browser.find("#login").isDisplayed());
        if (browser.find("#login").isDisplayed()) {
            browser.find("#login-key").sendKeys(ROOT.key());
            browser.find("#login-submit").click();
        }
        browser.await(d -> browser.find("#app").isDisplayed());
    }

    private String cell(int row, int column) {
        String text = browser.text(".grid-row[data-row='" + row + "'] > .grid-cell:nth-child(" + (column + 2) + ")");
        return text == null ? "" : text;
    }

    @Test
    void signsInWithAKeyRunsAQueryWithParametersAndShowsItsRows() {
        browser.driver.get(base.toString());
        browser.js("sessionStorage.clear()");
        browser.driver.navigate().refresh();
        browser.await(d -> browser.find("#login").isDisplayed());
        browser.find("#login-key").sendKeys("not-a-key");
        browser.find("#login-submit").click();
        browser.await(d -> browser.find("#login-error").getText().contains("not accepted"));
        browser.find("#login-key").sendKeys(ROOT.key());
        browser.find("#login-submit").click();
        browser.await(d -> browser.find("#app").isDisplayed() && browser.find("#who").getText().equals("Signed in"));
        assertEquals(ROOT.key(), browser.js("return sessionStorage.getItem('sparkgateway.credentials')"));

        // A named parameter from the panel; the first line is selected and Ctrl+Enter runs only it.
        browser.find("#params-box summary").click();
        browser.find("#param-add").click();
        browser.find(".p-name").sendKeys("greeting");
        browser.find(".p-value").sendKeys("hello");
        browser.sql("SELECT id, :greeting AS g, CASE WHEN id = 1 THEN NULL WHEN id = 2 THEN '' ELSE 'x' END AS s,"
                + " named_struct('a', id, 'b', array(id, id)) AS nested FROM range(3)\nSELECT this line is not run");
        browser.js("consoleEditor.setSelection({line: 0, ch: 0}, {line: 0, ch: consoleEditor.getLine(0).length})");
        browser.runFromKeyboard();
        browser.awaitState("SUCCEEDED", Duration.ofSeconds(30));
        browser.await(d -> browser.all(".grid-row").size() == 3);

        List<String> headers = browser.all(".grid-col").stream().map(WebElement::getText).toList();
        assertEquals(List.of("id\nbigint", "g\nstring", "s\nstring", "nested\nstruct<a:bigint,b:array<bigint>>"), headers);
        assertEquals("3 rows", browser.find("#row-count").getText());
        assertFalse(browser.find("#truncated").isDisplayed());
        assertEquals("hello", cell(0, 1));
        assertEquals("x", cell(0, 2));
        // NULL and the empty string look different.
        WebElement nul = browser.find(".grid-row[data-row='1'] > .grid-cell:nth-child(4)");
        WebElement empty = browser.find(".grid-row[data-row='2'] > .grid-cell:nth-child(4)");
        assertTrue(nul.getAttribute("class").contains("null"), nul.getAttribute("class"));
        assertEquals("NULL", nul.getText());
        assertTrue(empty.getAttribute("class").contains("empty"), empty.getAttribute("class"));
        assertFalse(empty.getText().contains("NULL"));
        // A nested value opens whole.
        browser.find(".grid-row[data-row='2'] .expand").click();
        browser.await(d -> browser.find("#cell-dialog").isDisplayed());
        assertEquals("{\n  \"a\": 2,\n  \"b\": [\n    2,\n    2\n  ]\n}", browser.find("#cell-value").getText());
        browser.screenshot("query-nested-value");
        browser.find("#cell-dialog button").click();
        browser.screenshot("query");
    }

    @Test
    void aLongQueryShowsProgressAndCancelInterruptsSpark() throws Exception {
        signedIn();
        browser.sql(SLOW_QUERY);
        browser.find("#run").click();
        // Spark reports progress every 2 s: the bar, the tasks and the elapsed time appear and move.
        browser.await(Duration.ofSeconds(30), d -> browser.find("#progress").isDisplayed()
                && browser.find("#tasks").getText().matches(".*tasks [1-9][0-9]*/5000.*"));
        String elapsed = browser.find("#elapsed").getText();
        browser.await(d -> !browser.find("#elapsed").getText().equals(elapsed));
        assertTrue(browser.find("#tasks").getText().contains("stage"), browser.find("#tasks").getText());
        assertEquals("RUNNING", browser.find("#state").getText());
        browser.screenshot("progress");

        long started = System.nanoTime();
        browser.find("#cancel").click();
        browser.awaitState("CANCELED", Duration.ofSeconds(60));
        long shown = (System.nanoTime() - started) / 1_000_000;
        spark.assertNothingRuns();
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("console cancel: CANCELED shown after " + shown + " ms, nothing running in Spark after " + millis + " ms");
        // Uncancelled, the query runs for many minutes: the bound proves Spark was interrupted, not a speed.
        assertTrue(millis < 60_000, "cancel took " + millis + " ms");
        // Cancelled by its owner: no problem to show.
        assertFalse(browser.find("#problem").isDisplayed(), browser.find("#problem").getText());
        assertEquals("false", browser.find("body").getAttribute("data-running"));
    }

    @Test
    void aMillionRowsScrollInAVirtualGridLoadedByChunkAndDownloadAsCsvEqualToV1Sql() throws IOException {
        signedIn();
        browser.sql(MILLION);
        browser.runFromKeyboard();
        browser.awaitState("SUCCEEDED", Duration.ofSeconds(90));
        browser.await(d -> "1000000".equals(browser.find("#grid").getAttribute("data-row-count")));
        browser.await(d -> cell(0, 1).equals("row 0"));
        assertEquals("1,000,000 rows", browser.find("#row-count").getText());
        long chunks = ((Number) browser.js("return 0 + document.querySelectorAll('.grid-row').length")).longValue();
        assertTrue(chunks < 100, "only the rows in view are in the page: " + chunks);
        String statementId = browser.find("#state").getAttribute("data-statement-id");
        int chunkCount = given().header("Authorization", "Bearer " + ROOT.key()).when().get("/v1/statements/" + statementId)
                .then().statusCode(200).extract().jsonPath().getList("result.chunks").size();
        assertTrue(chunkCount > 1, "a result of several chunks: " + chunkCount);
        assertEquals("1", browser.find("#grid").getAttribute("data-chunk-fetches"));

        // The keyboard scrolls the grid too.
        browser.find(".grid-scroll").sendKeys(Keys.PAGE_DOWN);
        browser.await(d -> ((Number) browser.js("return document.querySelector('.grid-scroll').scrollTop")).doubleValue() > 0);

        // To the end, and to the middle: each jump loads the chunk holding the rows in view, and only it.
        long jump = System.nanoTime();
        browser.js("const s = document.querySelector('.grid-scroll'); s.scrollTop = s.scrollHeight;");
        browser.await(d -> !browser.all(".grid-row[data-row='999999']").isEmpty() && cell(999_999, 1).equals("row 999999"));
        long toEnd = (System.nanoTime() - jump) / 1_000_000;
        browser.screenshot("million-rows-end");
        browser.js("const s = document.querySelector('.grid-scroll'); s.scrollTop = s.scrollHeight / 2;");
        browser.await(d -> {
            List<WebElement> rows = browser.all(".grid-row");
            return !rows.isEmpty() && !rows.get(rows.size() / 2).getText().contains("…");
        });
        int fetches = Integer.parseInt(browser.find("#grid").getAttribute("data-chunk-fetches"));
        int kept = Integer.parseInt(browser.find("#grid").getAttribute("data-chunks-kept"));
        System.out.println("console 1M rows: " + chunkCount + " chunks, to the last row in " + toEnd + " ms, "
                + fetches + " chunk fetches, " + kept + " kept");
        assertTrue(fetches >= 2 && fetches <= chunkCount + 1, "fetches " + fetches);
        assertTrue(kept <= 4, "kept " + kept);
        // The page stays responsive: a script runs at once after the jumps.
        long ping = System.nanoTime();
        browser.js("return 1");
        assertTrue((System.nanoTime() - ping) / 1_000_000 < 2_000, "the page was busy");

        // The CSV and NDJSON downloads are byte for byte what /v1/sql answers for the same statement;
        // the Arrow one is one IPC stream of all the rows.
        for (String format : List.of("csv", "ndjson")) {
            byte[] downloaded = download(statementId, format);
            byte[] expected = given().header("Authorization", "Bearer " + ROOT.key()).contentType(ContentType.TEXT)
                    .queryParam("format", format).body(MILLION).when().post("/v1/sql").then().statusCode(200)
                    .extract().asByteArray();
            assertEquals(expected.length, downloaded.length, format);
            assertArrayEquals(expected, downloaded, format);
            System.out.println("console " + format + " download: " + downloaded.length + " bytes equal to /v1/sql's");
        }
        long rows = 0;
        long lastId = -1;
        try (BufferAllocator allocator = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(download(statementId, "arrow")), allocator)) {
            while (reader.loadNextBatch()) {
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                rows += root.getRowCount();
                lastId = ((BigIntVector) root.getVector("id")).get(root.getRowCount() - 1);
            }
        }
        assertEquals(1_000_000, rows);
        assertEquals(999_999, lastId);
    }

    /** Clicks a download button and reads the file once Chromium has written it whole. */
    private byte[] download(String statementId, String format) throws IOException {
        Path file = browser.downloads.resolve("result-" + statementId.substring(0, 8) + "." + (format.equals("arrow") ? "arrows" : format));
        Files.deleteIfExists(file);
        browser.find("#download-" + format).click();
        browser.await(Duration.ofSeconds(60), d -> Files.exists(file) && !Files.exists(Path.of(file + ".crdownload"))
                && file.toFile().length() > 0);
        return Files.readAllBytes(file);
    }

    @Test
    void aParseErrorShowsItsTitleErrorClassSqlStateAndPosition() {
        signedIn();
        browser.sql("SELECT 1 AS one\nSELEC oops FROM nowhere");
        browser.runFromKeyboard();
        browser.await(d -> browser.find("#problem").isDisplayed());
        String facts = browser.find("#problem").getText();
        assertTrue(facts.contains("PARSE_SYNTAX_ERROR"), facts);
        assertEquals("PARSE_SYNTAX_ERROR", browser.find("#problem dd[data-fact='error class']").getText());
        assertEquals("42601", browser.find("#problem dd[data-fact='SQLSTATE']").getText());
        assertTrue(browser.find("#problem dd[data-fact='position']").getText().matches("line 2, column [0-9]+"),
                browser.find("#problem dd[data-fact='position']").getText());
        assertFalse(browser.find(".problem-title").getText().isEmpty());
        // The editor marks the place.
        assertFalse(browser.all(".CodeMirror .cm-parse-error-line").isEmpty());
        browser.screenshot("parse-error");
    }

    @Test
    void theCatalogTreeShowsTablesAndColumnsAndInsertsAName() {
        given().header("Authorization", "Bearer " + ROOT.key()).contentType(ContentType.TEXT)
                .body("CREATE TABLE IF NOT EXISTS default." + TABLE + " (name STRING, age INT) USING parquet")
                .when().post("/v1/sql").then().statusCode(200);
        signedIn();
        browser.sql("SELECT * FROM ");
        browser.js("consoleEditor.setCursor({line: 0, ch: 14})");
        browser.await(d -> !browser.all("#catalog .node-catalog[data-name='spark_catalog']").isEmpty());
        browser.find("#catalog .node-catalog[data-name='spark_catalog'] > .node-row .toggle").click();
        browser.await(d -> !browser.all(".node-database[data-name='default']").isEmpty());
        browser.find(".node-database[data-name='default'] > .node-row .toggle").click();
        String table = ".node-table[data-name='" + TABLE + "']";
        browser.await(d -> !browser.all(table).isEmpty());
        browser.find(table + " > .node-row .toggle").click();
        browser.await(d -> browser.all(table + " .node-column").size() == 2);
        assertEquals("int", browser.find(table + " .node-column[data-name='age'] .detail").getText());
        assertEquals("true", browser.find(table).getAttribute("aria-expanded"));
        browser.find(table + " > .node-row .insert").click();
        assertEquals("SELECT * FROM spark_catalog.default." + TABLE, browser.js("return consoleEditor.getValue()"));
        browser.screenshot("catalog");
    }

    @Test
    void aStatementReopensFromTheHistory() {
        signedIn();
        browser.runToSuccess("SELECT 'first' AS which");
        browser.runToSuccess("SELECT 'second' AS which, 2 AS n");
        browser.await(d -> cell(0, 0).equals("second"));
        WebElement first = browser.await(d -> browser.all("#history .history-open").stream()
                .filter(b -> b.getText().equals("SELECT 'first' AS which")).findFirst().orElse(null));
        first.click();
        browser.await(d -> cell(0, 0).equals("first"));
        assertEquals("SELECT 'first' AS which", browser.js("return consoleEditor.getValue()"));
        assertEquals("which\nstring", browser.find(".grid-col").getText());
        assertTrue(browser.driver.findElement(By.id("history")).getText().contains("SUCCEEDED"));
        browser.screenshot("history");
    }
}
