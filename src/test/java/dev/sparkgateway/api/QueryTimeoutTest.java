package dev.sparkgateway.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** A statement over gateway.query.timeout is interrupted in Spark and answered with 504. */
@QuarkusTest
@TestProfile(QueryTimeoutTest.OneSecond.class)
class QueryTimeoutTest {

    public static class OneSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.query.timeout", "1s");
        }
    }

    @Test
    void slowStatementIs504() {
        long started = System.nanoTime();
        given().contentType(ContentType.TEXT).body("SELECT sum(hash(id)) FROM range(0, 50000000000)").when().post("/v1/sql")
                .then().statusCode(504).contentType("application/problem+json")
                .body("type", equalTo("/problems/spark-timeout"))
                .body("detail", containsString("gateway.query.timeout"));
        org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() - started < 10_000_000_000L);
        given().contentType(ContentType.TEXT).body("SELECT 1 AS fast").when().post("/v1/sql")
                .then().statusCode(200).body("rows[0][0]", equalTo(1));
    }
}
