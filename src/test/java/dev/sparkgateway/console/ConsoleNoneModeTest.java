package dev.sparkgateway.console;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in the default {@code none} auth mode: no sign-in, the DataFrame-spec tab, the
 * chart, a named session, labels on every control, keyboard use, and a narrow window.
 */
@QuarkusTest
class ConsoleNoneModeTest extends BrowserTest {

    private void open() {
        browser.viewport(1280, 800);
        browser.driver.get(base.toString());
        browser.await(d -> browser.find("#app").isDisplayed());
    }

    @Test
    void itJustWorksWithoutSignInAndRunsADataFrameSpecShownAsAChart() {
        open();
        assertFalse(browser.find("#login").isDisplayed());
        assertEquals("No authentication (auth mode none)", browser.find("#who").getText());
        assertFalse(browser.find("#logout").isDisplayed());

        // The DataFrame spec tab, reached and run from the keyboard.
        browser.find("#tab-sql").click();
        browser.keys(Keys.ARROW_RIGHT);
        assertEquals("true", browser.find("#tab-spec").getAttribute("aria-selected"));
        WebElement spec = browser.find("#spec");
        spec.clear();
        spec.sendKeys("{\"source\": {\"range\": 12}, \"ops\": [{\"withColumn\": {\"name\": \"bucket\", \"expr\": \"id % 4\"}},"
                + " {\"groupBy\": {\"by\": [\"bucket\"], \"agg\": [\"sum(id) AS total\"]}}, {\"orderBy\": \"bucket\"}]}");
        spec.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        browser.awaitState("SUCCEEDED", Duration.ofSeconds(30));
        browser.await(d -> browser.all(".grid-row").size() == 4);
        assertEquals(List.of("bucket\nbigint", "total\nbigint"), browser.all(".grid-col").stream().map(WebElement::getText).toList());

        browser.find("#view-chart").click();
        browser.await(d -> browser.all("#chart svg rect.bar").size() == 4);
        assertEquals("total", browser.find("#chart-y option:checked").getText());
        browser.find("#chart-kind").sendKeys("line");
        browser.await(d -> !browser.all("#chart svg path.series").isEmpty());
        browser.screenshot("none-mode-chart");
        browser.find("#view-grid").click();
    }

    @Test
    void aNamedSessionKeepsTempViewsAndTheIndicatorShowsIt() {
        open();
        assertEquals("Session: stateless", browser.find("#session").getText());
        browser.find("#session-new").click();
        browser.await(d -> browser.find("#session").getText().matches("Session: [0-9a-zA-Z_-]{8}…"));
        browser.find("#tab-sql").click();
        browser.runToSuccess("CREATE OR REPLACE TEMP VIEW console_answer AS SELECT 42 AS answer");
        browser.runToSuccess("SELECT answer FROM console_answer");
        browser.await(d -> browser.find(".grid-row[data-row='0'] > .grid-cell:nth-child(2)").getText().equals("42"));
        browser.screenshot("named-session");
        browser.find("#session-end").click();
        browser.await(d -> browser.find("#session").getText().equals("Session: stateless"));
    }

    @Test
    void everyControlHasALabelAndANarrowWindowStacksThePanels() {
        open();
        @SuppressWarnings("unchecked")
        List<String> unlabelled = (List<String>) browser.js("""
                return [...document.querySelectorAll('input, select, textarea, button')]
                  .filter(e => e.offsetParent !== null || e.closest('#app'))
                  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
                  .map(e => e.outerHTML.slice(0, 120));""");
        assertEquals(List.of(), unlabelled);

        browser.viewport(390, 800);
        browser.driver.navigate().refresh();
        browser.await(d -> browser.find("#app").isDisplayed());
        browser.runToSuccess("SELECT id, repeat('x', 40) AS wide FROM range(30)");
        browser.await(d -> !browser.all(".grid-row").isEmpty());
        long mainBottom = ((Number) browser.js("return document.querySelector('.main').getBoundingClientRect().top")).longValue();
        long sideTop = ((Number) browser.js("return document.querySelector('.side').getBoundingClientRect().top")).longValue();
        assertTrue(sideTop > mainBottom, "the side panels go below the editor: " + sideTop + " vs " + mainBottom);
        long pageWidth = ((Number) browser.js("return document.documentElement.scrollWidth")).longValue();
        assertTrue(pageWidth <= 390, "nothing sticks out sideways: " + pageWidth);
        assertTrue(browser.find("#run").isDisplayed());
        browser.screenshot("narrow");
    }
}
