package dev.sparkgateway.console;

import dev.sparkgateway.testing.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.net.URI;

/** One browser per console test class, quit after it; a failed test leaves a screenshot and the browser's log. */
abstract class BrowserTest {

    static Browser browser;

    @TestHTTPResource("/")
    URI base;

    @RegisterExtension
    final TestWatcher evidence = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                System.out.println(context.getDisplayName() + " failed: " + browser.evidence(context.getRequiredTestMethod().getName()));
            }
        }
    };

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void quitBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
