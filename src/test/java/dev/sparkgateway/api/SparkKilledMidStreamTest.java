package dev.sparkgateway.api;

import dev.sparkgateway.embedded.LocalSparkServer;
import dev.sparkgateway.testing.Awaits;
import dev.sparkgateway.testing.CapturedLog;
import dev.sparkgateway.testing.ChunkedResponse;
import dev.sparkgateway.testing.ThrowawaySpark;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Spark server dies ({@code kill -9}) while rows flow: no format may look complete, clients
 * still waiting for a first batch get 503 (not 499), the log says so, and the gateway serves again
 * once Spark is back. Uses a throwaway server of its own, so the shared one is never disturbed.
 */
@QuarkusTest
@TestProfile(ThrowawaySpark.class)
class SparkKilledMidStreamTest {

    /**
     * Tens of MB that Spark computes in a second or two and then holds in its driver, handing them out
     * only as fast as the reader (here: nobody, until Spark dies) takes them; so each job ends soon and
     * leaves the task slots free for the next.
     */
    static final String LARGE = "SELECT id, 'row ' || id AS label FROM range(0, 3000000, 1, 30)";
    /** Minutes of work before its only row: a client of it waits for the first batch. */
    static final String SLOW = "SELECT sum(hash(id)) AS h FROM range(0, 1000000000000, 1, 1)";

    @ConfigProperty(name = "quarkus.http.test-port")
    int httpPort;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aDyingSparkCutsEveryFormatAndWaitingClientsGet503() throws Exception {
        Map<String, String> formats = new LinkedHashMap<>();
        formats.put("json", "application/json");
        formats.put("ndjson", "application/x-ndjson");
        formats.put("csv", "text/csv");
        formats.put("arrow", "application/vnd.apache.arrow.stream");
        try (CapturedLog requestLog = CapturedLog.of("dev.sparkgateway.request")) {
            LocalSparkServer server = start();
            Map<String, ChunkedResponse> bodies = new LinkedHashMap<>();
            Map<String, byte[]> received = new LinkedHashMap<>();
            CompletableFuture<HttpResponse<String>> waiting;
            try {
                Awaits.readiness(200, Duration.ofSeconds(60));
                waiting = http.sendAsync(request("waiting", "application/json", SLOW), HttpResponse.BodyHandlers.ofString());
                for (var format : formats.entrySet()) {
                    ChunkedResponse response = ChunkedResponse.post(httpPort, "/v1/sql", Map.of("Content-Type", "text/plain",
                            "Accept", format.getValue(), "X-Request-Id", "kill-" + format.getKey()), LARGE);
                    bodies.put(format.getKey(), response);
                    assertEquals(200, response.status(), format.getKey());
                    received.put(format.getKey(), response.read(16 * 1024));
                }
                assertFalse(waiting.isDone(), "the slow query is still computing its first row");
                ProcessHandle.of(server.pid()).ifPresent(ProcessHandle::destroyForcibly);
                awaitDeath(server);
            } finally {
                server.close();
            }

            for (var body : bodies.entrySet()) {
                String format = body.getKey();
                ChunkedResponse.End end;
                try (ChunkedResponse response = body.getValue()) {
                    end = CompletableFuture.supplyAsync(() -> {
                        try {
                            return response.readToEnd();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).get(2, TimeUnit.MINUTES);
                }
                int total = received.get(format).length + end.data().length;
                assertFalse(end.complete(), format + ": the body ended with its terminating chunk although Spark died"
                        + " mid-stream (" + total + " bytes)");
                assertTrue(end.trailers().isEmpty(), format + ": a cut body has no trailers");
                String tail = end.text().substring(Math.max(0, end.text().length() - 2000));
                if (format.equals("json")) {
                    assertTrue(tail.contains("\"error\":{") && tail.contains("\"status\":503"), "json error member: " + tail);
                } else if (format.equals("ndjson")) {
                    assertTrue(tail.contains("{\"error\":{") && tail.endsWith("}\n"), "ndjson error line: " + tail);
                }
            }

            HttpResponse<String> slow = waiting.get(2, TimeUnit.MINUTES);
            assertEquals(503, slow.statusCode(), slow.body());
            assertTrue(slow.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            assertTrue(slow.body().contains("spark-unavailable"), slow.body());

            for (String id : List.of("waiting", "json", "ndjson", "csv", "arrow")) {
                List<String> mine = requestLog.await(l -> l.startsWith("request=kill-" + id + " "), Duration.ofSeconds(10));
                assertEquals(1, mine.size(), "one request line for " + id + ": " + requestLog.messages());
                assertTrue(mine.get(0).contains(" status=503 "), "logged as Spark unavailable, not 499: " + mine);
            }
        }

        // Readiness went DOWN with Spark; Spark comes back: the same gateway is UP and serves again, without a restart.
        Awaits.readiness(503, Duration.ofSeconds(30));
        try (LocalSparkServer again = start()) {
            Awaits.readiness(200, Duration.ofSeconds(60));
            HttpResponse<String> one = http.send(request("after", "application/json", "SELECT 1 AS one"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, one.statusCode(), one.body());
            assertTrue(one.body().contains("\"rows\":[[1]]"), one.body());
        }
    }

    private HttpRequest request(String id, String accept, String sql) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/sql"))
                .header("Content-Type", "text/plain").header("Accept", accept).header("X-Request-Id", "kill-" + id)
                .POST(HttpRequest.BodyPublishers.ofString(sql)).build();
    }

    private static LocalSparkServer start() {
        return ThrowawaySpark.start("local[4]", "1g", Map.of(), "test-spark-killed");
    }

    private static void awaitDeath(LocalSparkServer server) {
        await("the Spark server dying of SIGKILL").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> !server.isAlive());
    }
}
