package dev.sparkgateway.api;

import dev.sparkgateway.testing.CapturedLog;
import dev.sparkgateway.testing.ChunkedResponse;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark rejects a row after the first batch went out (a caller's error, 400): every format's body
 * is cut off, JSON and NDJSON say why first, and the log has one request line with the real status
 * and nothing at ERROR.
 */
@QuarkusTest
class MidStreamFailureTest {

    /**
     * Partition 0 (1,000 rows) is sent at once; partition 1 scans 300M rows to reach the one that
     * raises, so the failure always comes after the status and first rows were written.
     */
    static final String FAILS_LATE = "SELECT id FROM range(0, 1000) UNION ALL "
            + "SELECT CAST(raise_error('late failure') AS BIGINT) FROM range(0, 300000000, 1, 1) WHERE id = 299999999";

    @ConfigProperty(name = "quarkus.http.test-port")
    int httpPort;

    @ParameterizedTest
    @CsvSource({"json,application/json", "ndjson,application/x-ndjson", "csv,text/csv",
            "arrow,application/vnd.apache.arrow.stream"})
    void aFailureAfterTheFirstBatchCutsTheBody(String format, String accept) throws Exception {
        String requestId = "late-failure-" + format;
        try (CapturedLog requests = CapturedLog.of("dev.sparkgateway.request");
             CapturedLog gateway = CapturedLog.of("dev.sparkgateway");
             ChunkedResponse response = ChunkedResponse.post(httpPort, "/v1/sql",
                     Map.of("Content-Type", "text/plain", "Accept", accept, "X-Request-Id", requestId), FAILS_LATE)) {
            assertEquals(200, response.status());
            ChunkedResponse.End end = response.readToEnd();
            assertFalse(end.complete(), format + ": a body cut by a failure must not end with its terminating chunk");
            String text = end.text();
            if (format.equals("json")) {
                assertTrue(text.contains("\"rowCount\":1000") && text.contains("\"errorClass\":\"USER_RAISED_EXCEPTION\"")
                        && text.contains("\"status\":400"), text.substring(Math.max(0, text.length() - 600)));
            } else if (format.equals("ndjson")) {
                String last = text.substring(text.lastIndexOf("\n", text.length() - 2) + 1);
                assertTrue(last.startsWith("{\"error\":{") && last.contains("USER_RAISED_EXCEPTION"), last);
            } else if (format.equals("csv")) {
                assertTrue(text.startsWith("id\r\n0\r\n1\r\n"), text.substring(0, Math.min(40, text.length())));
            }
            List<String> mine = requests.await(l -> l.startsWith("request=" + requestId + " "), Duration.ofSeconds(10));
            assertEquals(1, mine.size(), "one request line per request: " + requests.messages());
            assertTrue(mine.get(0).contains(" status=400 ") && mine.get(0).contains(" rows=1000 "), mine.get(0));
            assertTrue(gateway.records().stream().noneMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()),
                    "a caller's error is no ERROR: " + gateway.messages());
        }
    }
}
