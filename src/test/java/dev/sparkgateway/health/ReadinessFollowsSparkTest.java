package dev.sparkgateway.health;

import dev.sparkgateway.embedded.LocalSparkServer;
import dev.sparkgateway.testing.Awaits;
import dev.sparkgateway.testing.ThrowawaySpark;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Readiness follows Spark Connect without restarting the gateway: DOWN while nothing listens, DOWN
 * while the server there refuses the gateway (it requires a token the gateway was not given: every
 * request is a 503 telling the operator which setting to fix), UP once a usable server replaces it,
 * DOWN again when that one stops. Uses throwaway servers of its own, so the shared one is never
 * disturbed; one test, so each server start (the slow part) serves several checks.
 */
@QuarkusTest
@TestProfile(ThrowawaySpark.class)
class ReadinessFollowsSparkTest {

    @Test
    void readinessFollowsSparkAndAMissingSparkTokenIs503ForTheOperator() throws Exception {
        Awaits.readiness(503, Duration.ofSeconds(30));
        try (LocalSparkServer guarded = ThrowawaySpark.start("local[1]", "512m",
                Map.of("spark.connect.authenticate.token", "s3cret"), "test-spark-token")) {
            for (String endpoint : new String[] {"/v1/sql", "/v1/sql/schema"}) {
                given().contentType(ContentType.TEXT).body("SELECT 1").when().post(endpoint)
                        .then().statusCode(503).contentType("application/problem+json")
                        .body("type", equalTo("/problems/spark-credentials"))
                        .body("detail", containsString("gateway.spark.token"))
                        .body("detail", containsString("spark.connect.authenticate.token"));
            }
            given().contentType(ContentType.JSON).body("{\"sql\": \"SELECT 1\", \"waitTimeout\": 5}").when().post("/v1/statements")
                    .then().body("error.type", equalTo("/problems/spark-credentials"));
            given().when().get("/q/health/ready").then().statusCode(503);
        }
        // The gateway had a connection to the stopped server; it reaches the new one by itself.
        try (LocalSparkServer server = ThrowawaySpark.start("local[1]", "512m", Map.of(), "test-spark-throwaway")) {
            Awaits.readiness(200, Duration.ofSeconds(30));
        }
        Awaits.readiness(503, Duration.ofSeconds(30));
    }
}
