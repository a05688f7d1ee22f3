package dev.sparkgateway.quota;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.testing.ApiKeyFiles;
import dev.sparkgateway.testing.ApiKeyMode;
import dev.sparkgateway.testing.SparkActivity;
import dev.sparkgateway.testing.StatementClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.sparkgateway.testing.ApiKeyMode.CAPPED;
import static dev.sparkgateway.testing.ApiKeyMode.OTHER;
import static dev.sparkgateway.testing.ApiKeyMode.SLOW;
import static dev.sparkgateway.testing.ApiKeyMode.SMALL;
import static dev.sparkgateway.testing.ApiKeyMode.TIMED;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Quotas per role through HTTP against the real Spark server (api-key mode): each principal over
 * its own quota gets 429 (or a capped, truncated result, or a timeout) while another is served as
 * usual. The principals are admins with an extra role, since admin SQL needs no policy extension
 * (ApiKeyMode defines them and their roles' quotas).
 */
@QuarkusTest
@TestProfile(ApiKeyMode.class)
class QuotasTest {

    // Slow, and without a shuffle: a query cancelled while Spark still plans it cannot have an
    // adaptive stage submitted afterwards that runs on and starves the next tests (Spark 4.0).
    static final String SLOW_QUERY = "SELECT id FROM range(0, 50000000000, 1, 2) WHERE hash(id, 'x') = 42";

    @TestHTTPResource("/")
    URI base;

    @Inject
    SparkActivity spark;

    private static String bearer(ApiKeyFiles.Key key) {
        return "Bearer " + key.key();
    }

    private static Response sql(ApiKeyFiles.Key key, String sql) {
        return given().header("Authorization", bearer(key)).contentType(ContentType.TEXT).body(sql).when().post("/v1/sql");
    }

    @Test
    void aPrincipalOverItsRateGets429WithRetryAfterWhileAnotherIsServed() {
        given().header("Authorization", bearer(SLOW)).when().get("/v1/statements").then().statusCode(200);
        given().header("Authorization", bearer(SLOW)).when().get("/v1/statements").then().statusCode(200);
        Response refused = given().header("Authorization", bearer(SLOW)).when().get("/v1/statements");
        refused.then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("/problems/rate-limited"))
                .body("instance", equalTo("/v1/statements"))
                .body("detail", containsString("gateway.quotas.requests-per-second"));
        // From the bucket: the next token is up to 20 s away.
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        assertTrue(retryAfter > 10 && retryAfter <= 20, "Retry-After " + retryAfter);
        // Refused before any route: SQL and unknown paths too, without reaching Spark.
        sql(SLOW, "SELECT 1").then().statusCode(429).body("type", equalTo("/problems/rate-limited"));
        given().header("Authorization", bearer(SLOW)).when().get("/no/such/path").then().statusCode(429);
        for (int i = 0; i < 10; i++) {
            given().header("Authorization", bearer(OTHER)).when().get("/v1/statements").then().statusCode(200);
        }
        sql(OTHER, "SELECT 1 AS one").then().statusCode(200).body("rows[0][0]", equalTo(1));
        // Open documents take no token.
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void maxRowsCapsEveryLimitAndMarksTheResultTruncated() {
        sql(CAPPED, "SELECT id FROM range(100)").then().statusCode(200)
                .body("rowCount", equalTo(5)).body("truncated", equalTo(true));
        given().header("Authorization", bearer(CAPPED)).contentType(ContentType.JSON)
                .body("{\"sql\": \"SELECT id FROM range(100)\", \"limit\": 50}").when().post("/v1/sql")
                .then().statusCode(200).body("rowCount", equalTo(5)).body("truncated", equalTo(true));
        given().header("Authorization", bearer(CAPPED)).contentType(ContentType.JSON)
                .body("{\"sql\": \"SELECT id FROM range(100)\", \"limit\": 3}").when().post("/v1/sql")
                .then().statusCode(200).body("rowCount", equalTo(3)).body("truncated", equalTo(true));
        // Honest: a result within the cap is complete, not truncated.
        sql(CAPPED, "SELECT id FROM range(5)").then().statusCode(200)
                .body("rowCount", equalTo(5)).body("truncated", equalTo(false));
        given().header("Authorization", bearer(CAPPED)).contentType(ContentType.JSON)
                .body("{\"source\": {\"range\": 100}}").when().post("/v1/dataframe")
                .then().statusCode(200).body("rowCount", equalTo(5)).body("truncated", equalTo(true));
        sql(OTHER, "SELECT id FROM range(100)").then().statusCode(200)
                .body("rowCount", equalTo(100)).body("truncated", equalTo(false));

        StatementClient statements = new StatementClient(base);
        JsonNode statement = statements.submit(200, "{\"sql\": \"SELECT id FROM range(100)\", \"waitTimeout\": \"PT30S\"}",
                "Authorization", bearer(CAPPED));
        assertEquals(5, statement.at("/result/rowCount").asInt(), statement.toString());
        assertTrue(statement.at("/result/truncated").asBoolean(), statement.toString());
    }

    @Test
    void maxResultBytesEndsTheResultAtABatchBoundaryTruncated() {
        // Ten partitions of 10,000 rows: ten Arrow batches of about 80 KB each; 200K holds two.
        String query = "SELECT id FROM range(0, 100000, 1, 10)";
        Response response = sql(SMALL, query);
        response.then().statusCode(200).body("truncated", equalTo(true));
        int rows = response.jsonPath().getInt("rowCount");
        assertTrue(rows > 0 && rows < 100000, "rows " + rows);
        // In Arrow, the bytes counted: whole batches only, within the quota (plus the stream's schema and end).
        byte[] arrow = given().header("Authorization", bearer(SMALL)).contentType(ContentType.TEXT).body(query)
                .when().post("/v1/sql?format=arrow").then().statusCode(200).header("Trailer", containsString("X-Result-Truncated"))
                .extract().asByteArray();
        assertTrue(arrow.length > 0 && arrow.length <= 200 * 1024 + 1024, "Arrow bytes " + arrow.length);
        sql(SMALL, "SELECT id FROM range(1000)").then().statusCode(200).body("rowCount", equalTo(1000))
                .body("truncated", equalTo(false));
        sql(OTHER, query).then().statusCode(200).body("rowCount", equalTo(100000)).body("truncated", equalTo(false));

        StatementClient statements = new StatementClient(base);
        JsonNode statement = statements.submit(200, "{\"sql\": \"" + query + "\", \"waitTimeout\": \"PT60S\"}",
                "Authorization", bearer(SMALL));
        assertEquals("SUCCEEDED", statement.path("state").asText(), statement.toString());
        assertTrue(statement.at("/result/truncated").asBoolean(), statement.toString());
        long spooled = statement.at("/result/rowCount").asLong();
        assertTrue(spooled > 0 && spooled < 100000, statement.toString());
        assertTrue(statement.at("/result/byteCount").asLong() <= 200 * 1024, statement.toString());
    }

    @Test
    void maxRunningStatementsIs429ForThatPrincipalOnly() throws InterruptedException {
        StatementClient statements = new StatementClient(base);
        JsonNode first = statements.submit(202, "{\"sql\": \"" + SLOW_QUERY + "\", \"waitTimeout\": 0}",
                "Authorization", bearer(TIMED));
        String id = first.path("statementId").asText();
        try {
            HttpResponse<byte[]> refused = statements.send("POST", "/v1/statements", "{\"sql\": \"SELECT 1\"}",
                    "Authorization", bearer(TIMED));
            JsonNode problem = StatementClient.json(429, refused);
            assertEquals("/problems/too-many-statements", problem.path("type").asText());
            assertTrue(problem.path("detail").asText().contains("gateway.quotas.max-running-statements"), problem.toString());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            // Another principal's statements run meanwhile.
            JsonNode others = statements.submit(200, "{\"sql\": \"SELECT 2 AS two\", \"waitTimeout\": \"PT30S\"}",
                    "Authorization", bearer(OTHER));
            assertEquals("SUCCEEDED", others.path("state").asText());
        } finally {
            statements.send("POST", "/v1/statements/" + id + "/cancel", null, "Authorization", bearer(TIMED));
        }
        // Its place is free again once the first one ended (cancelled, or past its quota timeout first).
        awaitState(statements, id, TIMED, "CANCELED|FAILED");
        statements.submit(200, "{\"sql\": \"SELECT 1\", \"waitTimeout\": \"PT30S\"}", "Authorization", bearer(TIMED));
    }

    @Test
    void aStatementPastItsQuotaTimeoutIsCancelledInSparkAndFails() throws InterruptedException {
        StatementClient statements = new StatementClient(base);
        JsonNode submitted = statements.submit(202, "{\"sql\": \"" + SLOW_QUERY + "\", \"waitTimeout\": 0}",
                "Authorization", bearer(TIMED));
        JsonNode failed = awaitState(statements, submitted.path("statementId").asText(), TIMED, "FAILED");
        assertEquals("/problems/spark-timeout", failed.at("/error/type").asText(), failed.toString());
        assertEquals(504, failed.at("/error/status").asInt());
        assertTrue(failed.at("/error/detail").asText().contains("gateway.quotas.statement-timeout"), failed.toString());
        spark.assertNothingRuns();
    }

    @Test
    void syncQueriesHaveTheirTimeoutAndRunningCapPerPrincipal() {
        CompletableFuture<Response> slow = null;
        boolean refused = false;
        // The slow query may itself meet a probe holding the one slot (429): then it starts again.
        for (int attempt = 0; attempt < 5 && !refused; attempt++) {
            slow = CompletableFuture.supplyAsync(() -> sql(TIMED, SLOW_QUERY));
            // Give the slow query the head start to take the slot before the first probe races it for it.
            try {
                slow.get(500, TimeUnit.MILLISECONDS);
            } catch (TimeoutException running) {
                // still running: it holds the slot
            } catch (InterruptedException | ExecutionException e) {
                throw new AssertionError(e);
            }
            while (!slow.isDone() && !refused) {
                Response second = sql(TIMED, "SELECT 1");
                if (second.statusCode() == 429) {
                    refused = true;
                    assertEquals("/problems/too-many-statements", second.jsonPath().getString("type"));
                    assertTrue(second.jsonPath().getString("detail").contains("gateway.quotas.max-running-queries"),
                            second.asString());
                    assertEquals("1", second.header("Retry-After"));
                    sql(OTHER, "SELECT 1 AS one").then().statusCode(200);
                } else {
                    assertEquals(200, second.statusCode(), second.asString());
                }
            }
        }
        assertTrue(refused, "the second query of the principal was never refused while its first ran");
        Response timedOut = slow.join();
        assertEquals(504, timedOut.statusCode(), timedOut.asString());
        assertEquals("/problems/spark-timeout", timedOut.jsonPath().getString("type"));
        assertTrue(timedOut.jsonPath().getString("detail").contains("gateway.quotas.statement-timeout"), timedOut.asString());
        // Its slot came back with the 504 (Spark may still be winding the cancelled job down: SELECT 1 may time out too).
        await("SELECT 1 answering 200 again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            int status = sql(TIMED, "SELECT 1").statusCode();
            assertTrue(status == 200 || status == 504, "status " + status);
            return status == 200;
        });
    }

    /** Polls until the statement's state matches {@code state}; fails at once if it ends otherwise. */
    private static JsonNode awaitState(StatementClient statements, String id, ApiKeyFiles.Key key, String state) {
        return await("statement " + id + " reaching " + state).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonNode statement = StatementClient.json(200, statements.send("GET", "/v1/statements/" + id, null,
                            "Authorization", bearer(key)));
                    boolean reached = statement.path("state").asText().matches(state);
                    assertFalse(!reached && statement.path("state").asText().matches("SUCCEEDED|FAILED|CANCELED"),
                            statement.toString());
                    return reached ? statement : null;
                }, statement -> statement != null);
    }
}
