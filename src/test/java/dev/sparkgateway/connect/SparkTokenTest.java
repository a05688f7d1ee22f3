package dev.sparkgateway.connect;

import dev.sparkgateway.embedded.LocalSparkServer;
import dev.sparkgateway.testing.ThrowawaySpark;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A Spark Connect server that requires a token, and a gateway configured without one: every
 * request is a 503 telling the operator which setting to fix, and readiness is DOWN.
 */
@QuarkusTest
@TestProfile(ThrowawaySpark.class)
class SparkTokenTest {

    @Test
    void missingSparkTokenIs503ForTheOperator() {
        try (LocalSparkServer server = ThrowawaySpark.start("local[1]", "512m",
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
    }
}
