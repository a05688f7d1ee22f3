package dev.sparkgateway.it;

import dev.sparkgateway.api.CutDuringPlanningTest;
import dev.sparkgateway.testing.Awaits;
import dev.sparkgateway.testing.GatewayProcess;
import dev.sparkgateway.testing.RawHttp;
import dev.sparkgateway.testing.SparkConnectTestResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway stopped (SIGTERM, as a rollout stops a pod) right after a client left during planning:
 * the orphan sweeps ({@code OrphanSweeps}) need the session open, so the shutdown waits for them
 * (gateway.spark.shutdown-sweeps) before releasing it. Released at once, as before, the job that
 * planning submitted after the gateway was gone held both cores of the shared Spark for minutes.
 */
class ShutdownSweepsIT {

    @TempDir
    Path logs;

    private final List<GatewayProcess> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(GatewayProcess::close);
    }

    @Test
    void aGatewayThatStopsRightAfterAnInterruptLeavesNoJobBehind() throws Exception {
        int spark = SparkConnectTestResource.port();
        // 60 s instead of 10: Spark plans this query for 2.4 s warm, 12 s cold, before the sweep can run.
        GatewayProcess gateway = start(spark, "stopping", Map.of("gateway.pool.max-sessions", "1",
                "gateway.spark.shutdown-sweeps", "60s"));
        // Planned once, so that Spark plans it in 2.4 s (warm) and the cut 0.5 s in lands within planning:
        // this run's Spark and gateway are fresh, and cold the request reached Spark after the cut.
        HttpResponse<String> explained = post(gateway, "EXPLAIN " + CutDuringPlanningTest.SLOW_TO_PLAN);
        assertEquals(200, explained.statusCode(), explained.body());
        try (RawHttp gone = RawHttp.post(gateway.port(), "/v1/sql", "text/plain", CutDuringPlanningTest.SLOW_TO_PLAN)) {
            Awaits.until(Duration.ofSeconds(10), "the query has its session",
                    () -> inUse(gateway) == 1);
            // Kept on purpose, as in CutDuringPlanningTest: leaving 0.5 s in lands within planning.
            Thread.sleep(500);
        }
        Awaits.until(Duration.ofSeconds(10), "the gateway interrupted the query",
                () -> inUse(gateway) == 0);
        long stopping = System.nanoTime();
        gateway.stop();
        long stopMillis = (System.nanoTime() - stopping) / 1_000_000;
        String log = gateway.logText();
        assertTrue(log.contains("for the sweeps after 1 interrupted operation(s)"), "the shutdown waited for the sweeps:\n" + log);
        assertFalse(log.contains("not swept"), log);

        GatewayProcess after = start(spark, "after", Map.of());
        long quick = System.nanoTime();
        HttpResponse<String> small = post(after, "SELECT count(*) FROM range(0, 1000, 1, 4)");
        long quickMillis = (System.nanoTime() - quick) / 1_000_000;
        assertEquals(200, small.statusCode(), small.body());
        assertTrue(small.body().contains("1000"), small.body());
        assertTrue(quickMillis < 30_000, "a small query waited " + quickMillis + " ms behind the orphaned job");
        System.out.printf("ShutdownSweepsIT: the stop took %d ms with the sweeps; a small query after it %d ms%n", stopMillis, quickMillis);
    }

    private static HttpResponse<String> post(GatewayProcess gateway, String sql) throws IOException, InterruptedException {
        return gateway.api().http().send(HttpRequest.newBuilder(gateway.base().resolve("/v1/sql")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(sql)).timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double inUse(GatewayProcess gateway) {
        try {
            return gateway.metricSum("gateway_pool_sessions", "state=\"in_use\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private GatewayProcess start(int spark, String name, Map<String, String> settings) throws Exception {
        GatewayProcess gateway = GatewayProcess.start(name, logs, spark, settings);
        started.add(gateway);
        return gateway;
    }
}
