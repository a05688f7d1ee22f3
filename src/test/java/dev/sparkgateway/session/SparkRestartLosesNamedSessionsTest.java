package dev.sparkgateway.session;

import dev.sparkgateway.embedded.LocalSparkServer;
import dev.sparkgateway.testing.Awaits;
import dev.sparkgateway.testing.ThrowawaySpark;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A real Spark Connect server restart under a named session (NamedSessionsTest's stand-in releases
 * the session instead): the session answers 410 session-lost, never a silently empty session, and a
 * new session works at once, without restarting the gateway. Uses throwaway servers on their own
 * port, so the shared one is never disturbed.
 */
@QuarkusTest
@TestProfile(ThrowawaySpark.class)
class SparkRestartLosesNamedSessionsTest {

    @Test
    void aRestartedSparkServerLosesTheSessionAndANewOneWorks() {
        String lost;
        try (LocalSparkServer first = ThrowawaySpark.start("local[1]", "512m", Map.of(), "test-spark-restart-1")) {
            Awaits.readiness(200, Duration.ofSeconds(30));
            lost = create();
            sql(lost, "CREATE TEMP VIEW kept AS SELECT 1 AS one").then().statusCode(200);
            sql(lost, "SELECT one FROM kept").then().statusCode(200).body("rows[0][0]", equalTo(1));
        }
        try (LocalSparkServer second = ThrowawaySpark.start("local[1]", "512m", Map.of(), "test-spark-restart-2")) {
            Awaits.readiness(200, Duration.ofSeconds(30));
            for (int i = 0; i < 2; i++) {
                sql(lost, "SELECT one FROM kept").then().statusCode(410).contentType("application/problem+json")
                        .body("type", equalTo("/problems/session-lost"))
                        .body("detail", startsWith("The Spark server no longer has session " + lost));
            }
            given().get("/v1/sessions/" + lost).then().statusCode(200).body("state", equalTo("LOST"));

            String fresh = create();
            assertNotEquals(lost, fresh);
            sql(fresh, "CREATE TEMP VIEW kept AS SELECT 2 AS two").then().statusCode(200);
            sql(fresh, "SELECT two FROM kept").then().statusCode(200).body("rows[0][0]", equalTo(2));
            // Stateless requests never noticed: a pooled session of the old server is replaced silently.
            given().contentType(ContentType.TEXT).body("SELECT 3").post("/v1/sql").then().statusCode(200)
                    .body("rows[0][0]", equalTo(3));
            given().delete("/v1/sessions/" + lost).then().statusCode(204);
            given().delete("/v1/sessions/" + fresh).then().statusCode(204);
        }
        Awaits.readiness(503, Duration.ofSeconds(30));
    }

    private static String create() {
        return given().post("/v1/sessions").then().statusCode(201).extract().path("sessionId");
    }

    private static Response sql(String session, String sql) {
        return given().header("X-Session-Id", session).contentType(ContentType.TEXT).body(sql).post("/v1/sql");
    }
}
