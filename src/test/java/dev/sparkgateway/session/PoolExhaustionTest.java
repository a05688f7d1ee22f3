package dev.sparkgateway.session;

import dev.sparkgateway.testing.ConfigOverrides;
import dev.sparkgateway.testing.RawHttp;
import dev.sparkgateway.testing.SparkActivity;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pool of one session: the second concurrent request is turned away, and a vanished client frees the session. */
@QuarkusTest
@TestProfile(PoolExhaustionTest.OneSession.class)
class PoolExhaustionTest {

    /** Minutes of work on two cores, in small tasks so that a cancelled job stops within a task's time. */
    static final String SLOW_QUERY = "SELECT sum(hash(id)) FROM range(0, 50000000000, 1, 5000)";

    public static class OneSession extends ConfigOverrides {
        public OneSession() {
            super(Map.of("gateway.pool.max-sessions", "1", "gateway.pool.min-idle", "1",
                    "gateway.pool.borrow-timeout", "300ms"));
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    SparkActivity spark;

    @Test
    void exhaustedPoolAnswers503WithRetryAfterAndRecoversWhenTheClientLeaves() throws Exception {
        // A client that reads the status line and then stops reading keeps its session busy.
        try (RawHttp slowReader = RawHttp.post(port, "/v1/sql", "text/plain", "SELECT id, repeat('x', 50) AS s FROM range(0, 3000000, 1, 60)")) {
            assertEquals("HTTP/1.1 200 OK", slowReader.statusLine(), () -> "pool " + spark.pool());
            given().contentType(ContentType.TEXT).body("SELECT 1").when().post("/v1/sql")
                    .then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "1")
                    .body("type", equalTo("/problems/pool-exhausted"));
            assertEquals(1, spark.pool().inUse());
        }
        spark.assertNothingRuns();
        given().contentType(ContentType.TEXT).body("SELECT 1 AS ok").when().post("/v1/sql")
                .then().statusCode(200).body("rows[0][0]", equalTo(1));
    }

    @Test
    void disconnectWhileSparkIsStillComputingInterruptsTheOperation() throws Exception {
        long started = System.nanoTime();
        // Takes minutes on two cores if nobody interrupts it.
        try (RawHttp gone = RawHttp.post(port, "/v1/sql", "text/plain", SLOW_QUERY)) {
            // Kept on purpose: lets Spark's job get going, so the disconnect interrupts a computing job, which the
            // gateway's API cannot show for a /v1/sql or /v1/dataframe request (a cut during planning is
            // CutDuringPlanningTest's case).
            Thread.sleep(1500);
            assertEquals(1, spark.pool().inUse());
        }
        spark.assertNothingRuns();
        // The query runs for many minutes: a minute proves the interrupt, with room for a loaded machine.
        assertTrue(System.nanoTime() - started < 60_000_000_000L, "session came back only after the query would have ended");
        // Spark's jobs stopped too, not only the operation: a small query gets the cores at once
        // (with leftover tasks of the 5000-partition job it waits many minutes). The bound proves that,
        // not a speed: it takes well under a second on an idle machine, and up to ~10 s on a loaded one.
        long quick = System.nanoTime();
        given().contentType(ContentType.TEXT).body("SELECT count(*) FROM range(0, 1000, 1, 4)").when().post("/v1/sql")
                .then().statusCode(200).body("rows[0][0]", equalTo(1000));
        long quickMillis = (System.nanoTime() - quick) / 1_000_000;
        System.out.println("small query after the interrupt: " + quickMillis + " ms");
        assertTrue(quickMillis < 60_000, "a small query waited " + quickMillis + " ms for the interrupted job's tasks");
        // Recorded as the client's leaving (499), not as a gateway or Spark failure.
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("gateway_statement_duration_seconds_count{endpoint=\"/v1/sql\",format=\"-\",status=\"499\"}"),
                "no 499 in the statement metrics");
    }
    /** The same for a client that asked for a compressed body: the gateway holds its first bytes back, yet notices it left. */
    @Test
    void disconnectOfAClientThatAskedForGzipInterruptsTheOperationToo() throws Exception {
        byte[] body = SLOW_QUERY.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] head = ("POST /v1/sql HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nAccept-Encoding: gzip, zstd\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        long started = System.nanoTime();
        try (RawHttp gone = RawHttp.send(port, head, body)) {
            // As above: lets Spark's job get going.
            Thread.sleep(1500);
            assertEquals(1, spark.pool().inUse());
        }
        spark.assertNothingRuns();
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("gzip client gone: session back after " + millis + " ms");
        assertTrue(millis < 60_000, "session came back only after " + millis + " ms");
    }
}
