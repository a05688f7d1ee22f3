package dev.sparkgateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.embedded.LocalSparkServer;
import dev.sparkgateway.testing.ApiKeyFiles;
import dev.sparkgateway.testing.ApiKeyFiles.Key;
import dev.sparkgateway.testing.StatementClient;
import dev.sparkgateway.testing.ThrowawaySpark;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.sparkgateway.testing.SparkConnectTestResource.ENDPOINT_NAME_CONF;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two Spark Connect servers as endpoints, through the real HTTP stack: the shared test server
 * ({@code default}) and a throwaway one ({@code spare}). Spark users spread over both and stick to
 * theirs; when {@code spare} stops (a graceful shutdown, whose Spark fails running work with errors of
 * its own; a {@code kill -9} is SparkKilledMidStreamTest's) only the work running there fails, with
 * the documented 503, and every user's next request runs on {@code default}, without a gateway restart.
 * Each server tells who it is: a Spark conf set at its start, read back with variable substitution.
 */
@QuarkusTest
@TestProfile(TwoSparkEndpointsTest.Profile.class)
class TwoSparkEndpointsTest {

    static final Path KEYS = Path.of("target", "test-auth", "two-endpoints-keys.json").toAbsolutePath();
    /** Admins, so no session needs the policy mark; each its own Spark user (its principal). */
    static final List<Key> USERS = IntStream.rangeClosed(1, 6)
            .mapToObj(i -> new Key("endpoint-key-" + i, "endpoint-user-" + i, null, List.of("admin"))).toList();
    static final String WHICH = "SELECT '${" + ENDPOINT_NAME_CONF + "}' AS server";
    /** Minutes of work before its only row (one task): it is still running when its server dies. */
    static final String SLOW = "SELECT sum(hash(id)) AS h FROM range(0, 1000000000000, 1, 1)";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            ApiKeyFiles.write(KEYS, USERS);
            return Map.of("gateway.spark.endpoints.spare.url", "sc://127.0.0.1:" + ThrowawaySpark.port(),
                    "gateway.health.probe-interval", "300ms",
                    "gateway.pool.min-idle", "0",
                    "gateway.auth.mode", "api-key",
                    "gateway.auth.api-keys-file", KEYS.toString());
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port")
    int httpPort;

    @Test
    void usersSpreadOverBothServersAndMoveOffOneThatStops() throws Exception {
        StatementClient statements = new StatementClient(URI.create("http://localhost:" + httpPort));
        try (LocalSparkServer spare = ThrowawaySpark.start("local[2]", "768m", Map.of(ENDPOINT_NAME_CONF, "spare"),
                "test-spark-spare")) {
            awaitUp("spare", 1);
            Map<Key, String> served = new LinkedHashMap<>();
            for (Key user : USERS) {
                served.put(user, which(user));
            }
            assertTrue(served.containsValue("shared") && served.containsValue("spare"), "spread over both: " + served);
            for (Key user : USERS) {
                assertEquals(served.get(user), which(user), "sticky: " + user.principal());
            }
            gauge("gateway_pool_sessions", "endpoint=\"spare\",state=\"idle\"");

            Key onSpare = served.entrySet().stream().filter(e -> e.getValue().equals("spare")).findFirst().orElseThrow().getKey();
            String auth = "Bearer " + onSpare.key();
            JsonNode running = statements.submit(202, "{\"sql\": \"" + SLOW + "\", \"waitTimeout\": 0}", "Authorization", auth);
            String id = running.path("statementId").asText();
            getStatement(statements, id, auth);
            awaitTasks(statements, id, auth);
            CompletableFuture<HttpResponse<String>> waiting = statements.http().sendAsync(HttpRequest.newBuilder(
                            statements.uri("/v1/sql")).header("Content-Type", "text/plain").header("Authorization", auth)
                    .POST(HttpRequest.BodyPublishers.ofString(SLOW)).build(), HttpResponse.BodyHandlers.ofString());

            spare.close(); // SIGTERM, waits for the exit

            HttpResponse<String> cut = waiting.get(60, TimeUnit.SECONDS);
            assertEquals(503, cut.statusCode(), cut.body());
            assertTrue(cut.body().contains("/problems/spark-unavailable"), cut.body());
            JsonNode failed = awaitEnd(statements, id, auth);
            assertEquals("FAILED", failed.path("state").asText(), failed.toString());
            assertEquals("/problems/spark-unavailable", failed.at("/error/type").asText(), failed.toString());

            awaitUp("spare", 0);
            for (Key user : USERS) {
                assertEquals("shared", which(user), user.principal() + " moved to the endpoint that is up");
            }
            JsonPath ready = given().when().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
            String check = "checks.find { it.name == 'spark-connect' }.data.";
            assertEquals("UP", ready.getString(check + "'endpoint.default.status'"));
            assertEquals("DOWN", ready.getString(check + "'endpoint.spare.status'"));
        }
    }

    /** Which server ran a query of {@code user}'s. */
    private static String which(Key user) {
        Response response = given().header("Authorization", "Bearer " + user.key()).contentType(ContentType.TEXT).body(WHICH)
                .when().post("/v1/sql");
        assertEquals(200, response.statusCode(), response.asString());
        return response.jsonPath().getString("rows[0][0]");
    }

    /** Waits for the per-endpoint up gauge, which the background probe (and failing calls) set. */
    private static void awaitUp(String endpoint, int up) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        double value;
        do {
            value = gauge("gateway_spark_endpoint_up", "endpoint=\"" + endpoint + "\"");
            if (value == up) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        fail("gateway_spark_endpoint_up{endpoint=\"" + endpoint + "\"} stayed " + value + ", expected " + up);
    }

    private static double gauge(String name, String labels) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith(name + "{" + labels + "}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + "{" + labels + "} in /q/metrics"));
    }

    private static JsonNode getStatement(StatementClient statements, String id, String auth) {
        return StatementClient.json(200, statements.send("GET", "/v1/statements/" + id, null, "Authorization", auth));
    }

    private static void awaitTasks(StatementClient statements, String id, String auth) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode statement;
        do {
            statement = getStatement(statements, id, auth);
            if (statement.at("/progress/totalTasks").asLong() > 0) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        fail("statement " + id + " reported no tasks: " + statement);
    }

    private static JsonNode awaitEnd(StatementClient statements, String id, String auth) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode statement;
        do {
            statement = getStatement(statements, id, auth);
            String state = statement.path("state").asText();
            if (!state.equals("PENDING") && !state.equals("RUNNING")) {
                return statement;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return fail("statement " + id + " did not end: " + statement);
    }
}
