package dev.sparkgateway.connect;

import dev.sparkgateway.embedded.LocalSparkServer;
import dev.sparkgateway.testing.SparkConnectTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A Spark Connect server that requires a token, and a gateway configured without one: every
 * request is a 503 telling the operator which setting to fix, and readiness is DOWN.
 */
@QuarkusTest
@TestProfile(SparkTokenTest.TokenProtectedServer.class)
class SparkTokenTest {

    static final int PORT = SparkConnectTestResource.freePort();

    public static class TokenProtectedServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.spark.url", "sc://127.0.0.1:" + PORT, "gateway.pool.min-idle", "0");
        }
    }

    @Test
    void missingSparkTokenIs503ForTheOperator() {
        try (LocalSparkServer server = SparkConnectTestResource.start(PORT, "local[1]", "512m",
                Map.of("spark.sql.shuffle.partitions", "1", "spark.connect.authenticate.token", "s3cret"),
                Path.of("target", "test-spark-token"))) {
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
