package dev.sparkgateway.api;

import io.quarkus.test.junit.QuarkusTest;
import dev.sparkgateway.testing.ThrowawaySpark;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * A gateway whose Spark Connect server is down answers 503 with Retry-After, and does not crash. Runs
 * in the throwaway-server profile (one app start shared with those tests): none of them leaves a
 * server on its port, so nothing listens there.
 */
@QuarkusTest
@TestProfile(ThrowawaySpark.class)
class SparkUnavailableTest {

    @Test
    void unreachableSparkIs503() {
        given().contentType(ContentType.TEXT).body("SELECT 1").when().post("/v1/sql")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("/problems/spark-unavailable"))
                .body("detail", containsString("unreachable"));
    }
}
