package dev.sparkgateway.statement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.testing.AdvancingClock;
import dev.sparkgateway.testing.ConfigOverrides;
import dev.sparkgateway.testing.StatementApiTest;
import dev.sparkgateway.testing.StatementClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits: running statements (429), the spool cap, abandoned statements and the result TTL. The
 * statements' clock is an {@link AdvancingClock}: the TTL and the abandoned-timeout pass when a test
 * moves it forward, not after real minutes.
 */
@QuarkusTest
@TestProfile(StatementBoundsTest.Tight.class)
class StatementBoundsTest extends StatementApiTest {

    static final Duration ABANDONED_TIMEOUT = Duration.ofMinutes(1);
    static final Duration RESULT_TTL = Duration.ofMinutes(10);

    public static class Tight extends ConfigOverrides {
        public Tight() {
            super(Map.of("gateway.statements.max-running", "1", "gateway.statements.max-stored", "3",
                    "gateway.statements.spool-max-size", "1M",
                    "gateway.statements.abandoned-timeout", ABANDONED_TIMEOUT.toString(),
                    "gateway.statements.result-ttl", RESULT_TTL.toString()));
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(AdvancingClock.class);
        }
    }

    @Inject
    AdvancingClock clock;

    /** Earlier tests' statements expire (a running one is first cancelled as abandoned) once the clock passes their TTL. */
    @BeforeEach
    void noStatementsHeld() {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            clock.advance(RESULT_TTL.plusSeconds(1));
            assertEquals(0, held(), "left over: " + statements.counts());
        });
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
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertEquals(200,
                api.send("POST", "/v1/statements", "{\"sql\": \"SELECT 1\", \"waitTimeout\": 10}").statusCode()));
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
    void anAbandonedStatementIsCancelledAndCleanedUp() {
        String id = api.submit(202, "{\"sql\": \"" + StatementLifecycleTest.SLOW_QUERY + "\", \"waitTimeout\": 0}")
                .get("statementId").asText();
        // Its job runs (so the cancel leaves Spark idle); this GET is the last anyone asks about it.
        api.awaitTasks(id, Duration.ofSeconds(30));
        clock.advance(ABANDONED_TIMEOUT.plusSeconds(1));
        // The reaper (every second) cancels it. Watched through the counts, which do not touch it.
        await("the abandoned statement cancelled").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> statements.counts().get(StatementState.CANCELED) == 1);
        JsonNode statement = api.get(id);
        assertEquals("CANCELED", statement.get("state").asText(), statement.toString());
        assertTrue(statement.at("/error/detail").asText().contains("abandoned-timeout"), statement.toString());
        assertNothingRunsInSpark();
        assertEquals(0, statements.spoolReservedBytes());
    }

    @Test
    void anExpiredIdSaysItsResultTtlPassed() {
        // Eviction (max-stored) is StatementSlotsTest's.
        String id = api.submit(200, "{\"sql\": \"SELECT 1\", \"waitTimeout\": 30}").get("statementId").asText();
        // Just short of its TTL it stays, over two reaper runs (every second); then it expires.
        clock.advance(RESULT_TTL.minusSeconds(30));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertEquals("SUCCEEDED", api.get(id).get("state").asText()));
        clock.advance(Duration.ofSeconds(31));
        HttpResponse<byte[]> expired = await("statement " + id + " expired").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> api.send("GET", "/v1/statements/" + id, null),
                        response -> response.statusCode() != 200);
        JsonNode problem = StatementClient.json(404, expired);
        String detail = problem.get("detail").asText();
        assertTrue(detail.contains("expired") && detail.contains("result TTL"), problem.toString());
        assertEquals(0, statements.spoolReservedBytes());
        StatementClient.json(404, api.chunk(id, 0, "application/json"));
    }
}
