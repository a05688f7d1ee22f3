package dev.sparkgateway.health;

import dev.sparkgateway.embedded.LocalSparkServer;
import dev.sparkgateway.testing.Awaits;
import dev.sparkgateway.testing.SparkConnectTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;


/**
 * Readiness goes DOWN when Spark Connect stops and UP again when it is back, without restarting
 * the gateway. Uses a throwaway server of its own, so the shared one is never disturbed.
 */
@QuarkusTest
@TestProfile(ReadinessFollowsSparkTest.ThrowawayServer.class)
class ReadinessFollowsSparkTest {

    static final int PORT = SparkConnectTestResource.freePort();

    public static class ThrowawayServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.spark.url", "sc://127.0.0.1:" + PORT, "gateway.pool.min-idle", "0");
        }
    }

    @Test
    void readinessFollowsSpark() throws Exception {
        Awaits.readiness(503, Duration.ofSeconds(30));
        try (LocalSparkServer server = start()) {
            Awaits.readiness(200, Duration.ofSeconds(30));
        }
        Awaits.readiness(503, Duration.ofSeconds(30));
        try (LocalSparkServer server = start()) {
            Awaits.readiness(200, Duration.ofSeconds(30));
        }
    }

    private static LocalSparkServer start() {
        return SparkConnectTestResource.start(PORT, "local[1]", "512m", Map.of("spark.sql.shuffle.partitions", "1"),
                Path.of("target", "test-spark-throwaway"));
    }
}
