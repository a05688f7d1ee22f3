package dev.sparkgateway.api;

import io.quarkus.test.junit.QuarkusTest;
import dev.sparkgateway.testing.ConfigOverrides;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** A gateway whose Spark Connect server is down answers 503 with Retry-After, and does not crash. */
@QuarkusTest
@TestProfile(SparkUnavailableTest.NothingListening.class)
class SparkUnavailableTest {

    /** Port 9 (discard) has no listener here; retries are kept short. */
    public static class NothingListening extends ConfigOverrides {
        public NothingListening() {
            super(Map.of("gateway.spark.url", "sc://127.0.0.1:9", "gateway.spark.max-attempts", "2",
                    "gateway.spark.initial-backoff", "10ms"));
        }
    }

    @Test
    void unreachableSparkIs503() {
        given().contentType(ContentType.TEXT).body("SELECT 1").when().post("/v1/sql")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("/problems/spark-unavailable"))
                .body("detail", containsString("unreachable"));
    }
}
