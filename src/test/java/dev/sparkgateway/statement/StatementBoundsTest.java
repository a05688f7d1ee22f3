package dev.sparkgateway.statement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.testing.ConfigOverrides;
import dev.sparkgateway.testing.StatementApiTest;
import dev.sparkgateway.testing.StatementClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Limits: running statements (429), the spool cap, abandoned statements and the result TTL. */
@QuarkusTest
@TestProfile(StatementBoundsTest.Tight.class)
class StatementBoundsTest extends StatementApiTest {

    public static class Tight extends ConfigOverrides {
        public Tight() {
            super(Map.of("gateway.statements.max-running", "1", "gateway.statements.max-stored", "3",
                    "gateway.statements.spool-max-size", "1M", "gateway.statements.abandoned-timeout", "2s",
                    "gateway.statements.result-ttl", "2s"));
        }
    }

    @BeforeEach
    void noStatementsHeld() throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (held() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0, held(), "left over: " + statements.counts());
    }

    @Test
    void overTheRunningLimitIs429WithRetryAfter() throws Exception {
        String slow = api.submit(202, "{\"sql\": \"" + StatementLifecycleTest.SLOW_QUERY + "\", \"waitTimeout\": 0}")
                .get("statementId").asText();
        HttpResponse<byte[]> refused = api.send("POST", "/v1/statements", "{\"sql\": \"SELECT 1\"}");
        JsonNode problem = StatementClient.json(429, refused);
        assertEquals("/problems/too-many-statements", problem.get("type").asText());
        assertTrue(problem.get("detail").asText().contains("max-running"), problem.toString());
        assertTrue(problem.get("detail").asText().contains("DELETE /v1/statements/{id}"), problem.toString());
        int retryAfter = Integer.parseInt(refused.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        api.awaitTasks(slow, Duration.ofSeconds(30));
        assertEquals("CANCELED", api.send("POST", "/v1/statements/" + slow + "/cancel", "").statusCode() == 200
                ? api.get(slow).get("state").asText() : "cancel failed");
        assertNothingRunsInSpark();
        // The slot is free again once the runner has let go of it.
        long deadline = System.nanoTime() + 5_000_000_000L;
        int status;
        do {
            status = api.send("POST", "/v1/statements", "{\"sql\": \"SELECT 1\", \"waitTimeout\": 10}").statusCode();
        } while (status == 429 && System.nanoTime() < deadline);
        assertEquals(200, status);
    }

    @Test
    void aResultOverTheSpoolCapFailsTheStatementAndFreesTheSpool() throws Exception {
        JsonNode failed = api.submit(200, "{\"sql\": \"SELECT id, repeat('x', 100) AS s FROM range(0, 100000, 1, 10)\","
                + " \"waitTimeout\": 60}");
        assertEquals("FAILED", failed.get("state").asText(), failed.toString());
        assertEquals("/problems/spool-full", failed.at("/error/type").asText());
        assertEquals(507, failed.at("/error/status").asInt());
        assertTrue(failed.at("/error/detail").asText().contains("spool-max-size"), failed.toString());
        assertEquals(0, statements.spoolReservedBytes(), "a failed statement's spool is freed");
        assertNothingRunsInSpark();
    }

    @Test
    void anAbandonedStatementIsCancelledAndCleanedUp() throws Exception {
        String id = api.submit(202, "{\"sql\": \"" + StatementLifecycleTest.SLOW_QUERY + "\", \"waitTimeout\": 0}")
                .get("statementId").asText();
        // Nobody polls: after abandoned-timeout (2 s) the reaper (every second) cancels it. Watched
        // through the counts, which do not touch it; then read at once, within its 2 s TTL.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (statements.counts().get(StatementState.CANCELED) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        JsonNode statement = api.get(id);
        assertEquals("CANCELED", statement.get("state").asText(), statement.toString());
        assertTrue(statement.at("/error/detail").asText().contains("abandoned-timeout"), statement.toString());
        assertNothingRunsInSpark();
        assertEquals(0, statements.spoolReservedBytes());
    }

    @Test
    void anExpiredIdSaysItsResultTtlPassed() throws Exception {
        // Eviction (max-stored) is StatementSlotsTest's: with a 2 s TTL here, expiry would race it.
        String id = api.submit(200, "{\"sql\": \"SELECT 1\", \"waitTimeout\": 30}").get("statementId").asText();
        long deadline = System.nanoTime() + 15_000_000_000L;
        HttpResponse<byte[]> last;
        do {
            Thread.sleep(200);
            last = api.send("GET", "/v1/statements/" + id, null);
        } while (last.statusCode() == 200 && System.nanoTime() < deadline);
        JsonNode expired = StatementClient.json(404, last);
        assertTrue(expired.get("detail").asText().contains("result TTL"), expired.toString());
        assertEquals(0, statements.spoolReservedBytes());
    }
}
