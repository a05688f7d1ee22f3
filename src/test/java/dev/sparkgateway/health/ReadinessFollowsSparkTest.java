package dev.sparkgateway.health;

import dev.sparkgateway.embedded.LocalSparkServer;
import dev.sparkgateway.testing.Awaits;
import dev.sparkgateway.testing.ThrowawaySpark;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;


/**
 * Readiness goes DOWN when Spark Connect stops and UP again when it is back, without restarting
 * the gateway. Uses a throwaway server of its own, so the shared one is never disturbed.
 */
@QuarkusTest
@TestProfile(ThrowawaySpark.class)
class ReadinessFollowsSparkTest {

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
        return ThrowawaySpark.start("local[1]", "512m", Map.of(), "test-spark-throwaway");
    }
}
