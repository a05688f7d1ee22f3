package dev.sparkgateway.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import dev.sparkgateway.testing.ShortTimeouts;
import dev.sparkgateway.testing.SparkActivity;
import jakarta.inject.Inject;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** A statement over gateway.query.timeout (2 s here) is interrupted in Spark and answered with 504. */
@QuarkusTest
@TestProfile(ShortTimeouts.class)
class QueryTimeoutTest {

    @Inject
    SparkActivity spark;

    static final String SLOW_QUERY = "SELECT sum(hash(id)) FROM range(0, 50000000000, 1, 5000)";

    @Test
    void slowStatementIs504() throws InterruptedException {
        long started = System.nanoTime();
        given().contentType(ContentType.TEXT).body(SLOW_QUERY).when().post("/v1/sql")
                .then().statusCode(504).contentType("application/problem+json")
                .body("type", equalTo("/problems/spark-timeout"))
                .body("detail", containsString("gateway.query.timeout"));
        // Uncancelled, the query runs for hours; 30 s leaves room for a loaded machine (10 s failed at load 17 on 2 cores).
        org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() - started < 30_000_000_000L, "the query was not stopped");
        spark.assertNothingRuns();
        // Spark may still be winding down the cancelled job's tasks; the gateway itself is ready at once.
        long deadline = System.nanoTime() + 30_000_000_000L;
        int status;
        do {
            status = given().contentType(ContentType.TEXT).body("SELECT 1 AS fast").when().post("/v1/sql").statusCode();
        } while (status != 200 && System.nanoTime() < deadline);
        org.junit.jupiter.api.Assertions.assertEquals(200, status);
    }
}
