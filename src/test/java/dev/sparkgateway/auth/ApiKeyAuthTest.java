package dev.sparkgateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.testing.ApiKeyFiles;
import dev.sparkgateway.testing.ApiKeyMode;
import dev.sparkgateway.testing.CapturedLog;
import dev.sparkgateway.testing.StatementClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.sparkgateway.testing.ApiKeyMode.ALICE;
import static dev.sparkgateway.testing.ApiKeyMode.BOB;
import static dev.sparkgateway.testing.ApiKeyMode.ROOT;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gateway.auth.mode=api-key} through HTTP against the real Spark server: 401s, open
 * documents, each principal as its own Spark user, statements visible to their owner (and admins)
 * only, and key rotation through the keys file without a restart.
 */
@QuarkusTest
@TestProfile(ApiKeyMode.class)
class ApiKeyAuthTest {

    @TestHTTPResource("/")
    URI base;

    private static String bearer(ApiKeyFiles.Key key) {
        return "Bearer " + key.key();
    }

    @Test
    void noCredentialsIs401WithABearerChallenge() {
        given().contentType(ContentType.TEXT).body("SELECT 1").when().post("/v1/sql")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"spark-connect-gateway\"")
                .body("type", equalTo("/problems/unauthenticated"))
                .body("instance", equalTo("/v1/sql"));
        given().when().get("/v1/statements").then().statusCode(401);
        given().when().get("/no/such/path").then().statusCode(401);
    }

    @Test
    void aWrongKeyIs401AndNeverEchoed() {
        for (String header : List.of("Bearer not-a-key", "Bearer " + ALICE.key() + "x", "Basic YWxpY2U6eA==", "Bearer ")) {
            Response response = given().header("Authorization", header).contentType(ContentType.TEXT).body("SELECT 1")
                    .when().post("/v1/sql");
            assertEquals(401, response.statusCode(), header);
            assertEquals("/problems/unauthenticated", response.jsonPath().getString("type"));
            assertTrue(response.header("WWW-Authenticate").startsWith("Bearer realm=\"spark-connect-gateway\""));
            assertFalse(response.asString().contains("not-a-key") || response.asString().contains(ALICE.key()), response.asString());
        }
        given().header("Authorization", "Bearer nope").when().get("/v1/statements")
                .then().statusCode(401).header("WWW-Authenticate", containsString("error=\"invalid_token\""));
    }

    @Test
    void theConsolesStaticFilesLoadWithoutAKeyUnderAContentSecurityPolicy() {
        given().when().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .body(containsString("/console/main.js"));
        given().when().get("/console/main.js").then().statusCode(200);
        given().when().get("/_static/codemirror/" + codemirrorVersion() + "/lib/codemirror.js").then().statusCode(200);
        // Only the console's files are open: the API still wants a key.
        given().when().get("/v1/statements").then().statusCode(401);
    }

    private static String codemirrorVersion() {
        String page = given().when().get("/").then().extract().asString();
        int at = page.indexOf("/_static/codemirror/") + "/_static/codemirror/".length();
        String version = page.substring(at, page.indexOf('/', at));
        assertTrue(version.matches("[0-9]+\\.[0-9]+\\.[0-9]+"), "the build filled in the version: " + version);
        return version;
    }

    @Test
    void healthOpenApiProblemPagesAndMetricsStayOpen() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/openapi").then().statusCode(200);
        given().when().get("/problems/unauthenticated").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void eachPrincipalRunsAsItsOwnSparkUser() {
        assertEquals("alice", currentUser(ALICE));
        assertEquals("bob_spark", currentUser(BOB));
        assertEquals("root", currentUser(ROOT));
    }

    private static String currentUser(ApiKeyFiles.Key key) {
        return given().header("Authorization", bearer(key)).contentType(ContentType.TEXT).body("SELECT current_user() AS u")
                .when().post("/v1/sql").then().statusCode(200).extract().jsonPath().getString("rows[0][0]");
    }

    @Test
    void aStatementIsSeenOnlyByItsOwnerAndAdmins() {
        StatementClient statements = new StatementClient(base);
        JsonNode mine = statements.submit(200, "{\"sql\": \"SELECT 41 + 1 AS answer\", \"waitTimeout\": \"PT30S\"}",
                "Authorization", bearer(ALICE));
        String id = mine.path("statementId").asText();
        assertEquals("alice", mine.path("owner").asText());

        String unknown = UUID.randomUUID().toString();
        for (String path : List.of("/v1/statements/" + id, "/v1/statements/" + id + "/events",
                "/v1/statements/" + id + "/result/chunks/0")) {
            HttpResponse<byte[]> foreign = statements.send("GET", path, null, "Authorization", bearer(BOB));
            HttpResponse<byte[]> missing = statements.send("GET", path.replace(id, unknown), null, "Authorization", bearer(BOB));
            assertEquals(404, foreign.statusCode(), path);
            assertEquals(missing.statusCode(), foreign.statusCode());
            // Worded exactly like an id that never existed: nothing tells bob that alice's statement is there.
            assertEquals(text(missing).replace(unknown, id), text(foreign));
        }
        assertEquals(404, statements.send("DELETE", "/v1/statements/" + id, null, "Authorization", bearer(BOB)).statusCode());
        assertEquals(404, statements.send("POST", "/v1/statements/" + id + "/cancel", null, "Authorization", bearer(BOB)).statusCode());

        JsonNode asAdmin = StatementClient.json(200, statements.send("GET", "/v1/statements/" + id, null, "Authorization", bearer(ROOT)));
        assertEquals("SUCCEEDED", asAdmin.path("state").asText());
        assertEquals("alice", asAdmin.path("owner").asText());
        assertEquals(401, statements.chunk(id, 0, "application/json").statusCode(), "a chunk without credentials");
        assertEquals(200, statements.send("GET", "/v1/statements/" + id + "/result/chunks/0", null,
                "Authorization", bearer(ALICE)).statusCode());
    }

    @Test
    void listingShowsTheCallersOwnStatementsAndAdminsSeeAll() {
        StatementClient statements = new StatementClient(base);
        String alices = statements.submit(200, "{\"sql\": \"SELECT 1\", \"waitTimeout\": \"PT30S\"}", "Authorization", bearer(ALICE))
                .path("statementId").asText();
        String bobs = statements.submit(200, "{\"sql\": \"SELECT 2\", \"waitTimeout\": \"PT30S\"}", "Authorization", bearer(BOB))
                .path("statementId").asText();

        List<String> aliceSees = ids(statements, ALICE, "");
        assertTrue(aliceSees.contains(alices));
        assertFalse(aliceSees.contains(bobs));
        List<String> bobSees = ids(statements, BOB, "");
        assertTrue(bobSees.contains(bobs));
        assertFalse(bobSees.contains(alices));
        List<String> rootSees = ids(statements, ROOT, "");
        assertTrue(rootSees.containsAll(List.of(alices, bobs)));
        // Newest first.
        assertTrue(rootSees.indexOf(bobs) < rootSees.indexOf(alices), rootSees.toString());
        assertTrue(ids(statements, ALICE, "&state=FAILED").stream().noneMatch(alices::equals));

        // Paging one by one visits the same statements in the same order.
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = StatementClient.json(200, statements.send("GET", "/v1/statements?limit=1"
                    + (token == null ? "" : "&pageToken=" + token), null, "Authorization", bearer(ROOT)));
            page.path("statements").forEach(s -> paged.add(s.path("statementId").asText()));
            token = page.hasNonNull("nextPageToken") ? page.path("nextPageToken").asText() : null;
        } while (token != null);
        assertEquals(rootSees, paged);

        assertEquals(400, statements.send("GET", "/v1/statements?limit=0", null, "Authorization", bearer(ROOT)).statusCode());
        assertEquals(400, statements.send("GET", "/v1/statements?state=DONE", null, "Authorization", bearer(ROOT)).statusCode());
        assertEquals(400, statements.send("GET", "/v1/statements?pageToken=zzz", null, "Authorization", bearer(ROOT)).statusCode());
    }

    private static List<String> ids(StatementClient statements, ApiKeyFiles.Key key, String query) {
        JsonNode page = StatementClient.json(200, statements.send("GET", "/v1/statements?limit=500" + query, null,
                "Authorization", bearer(key)));
        List<String> ids = new ArrayList<>();
        page.path("statements").forEach(s -> ids.add(s.path("statementId").asText()));
        return ids;
    }

    @Test
    void idempotencyKeysBelongToTheirOwner() {
        StatementClient statements = new StatementClient(base);
        String key = "shared-" + UUID.randomUUID();
        String a = statements.submit(200, "{\"sql\": \"SELECT 'a'\", \"waitTimeout\": \"PT30S\"}", "Authorization", bearer(ALICE),
                "Idempotency-Key", key).path("statementId").asText();
        // Another principal's same key with another statement is neither a conflict nor alice's statement.
        String b = statements.submit(200, "{\"sql\": \"SELECT 'b'\", \"waitTimeout\": \"PT30S\"}", "Authorization", bearer(BOB),
                "Idempotency-Key", key).path("statementId").asText();
        assertNotEquals(a, b);
        assertEquals(a, statements.submit(200, "{\"sql\": \"SELECT 'a'\", \"waitTimeout\": \"PT30S\"}", "Authorization",
                bearer(ALICE), "Idempotency-Key", key).path("statementId").asText());
    }

    @Test
    void tempViewsOfOnePrincipalAreInvisibleToAnother() {
        given().header("Authorization", bearer(ALICE)).contentType(ContentType.TEXT)
                .body("CREATE OR REPLACE TEMP VIEW alice_secret AS SELECT 'x' AS s").when().post("/v1/sql").then().statusCode(200);
        given().header("Authorization", bearer(BOB)).contentType(ContentType.TEXT).body("SELECT * FROM alice_secret")
                .when().post("/v1/sql").then().statusCode(400).body("errorClass", equalTo("TABLE_OR_VIEW_NOT_FOUND"));
    }

    @Test
    void theRequestLineNamesPrincipalSparkUserAndStatementFingerprintButNotTheText() throws InterruptedException {
        try (CapturedLog requests = CapturedLog.of("dev.sparkgateway.request")) {
            String marker = "audit_" + UUID.randomUUID().toString().replace("-", "");
            given().header("Authorization", bearer(BOB)).header("X-Request-Id", marker).contentType(ContentType.TEXT)
                    .body("SELECT '" + marker + "' AS m").when().post("/v1/sql").then().statusCode(200);
            given().header("Authorization", bearer(BOB)).header("X-Request-Id", marker + "-bad").contentType(ContentType.TEXT)
                    .body("SELEC '" + marker + "'").when().post("/v1/sql").then().statusCode(400);
            requests.await(l -> l.startsWith("request=" + marker + "-bad "), Duration.ofSeconds(10));
            requests.await(l -> l.startsWith("request=" + marker + " "), Duration.ofSeconds(10));
            List<String> lines = requests.messages().stream().filter(l -> l.startsWith("request=" + marker)).sorted().toList();
            assertEquals(2, lines.size(), requests.messages().toString());
            for (String line : lines) {
                assertTrue(line.contains(" principal=bob spark_user=bob_spark endpoint=/v1/sql fingerprint="), line);
                assertTrue(line.matches(".* fingerprint=[0-9a-f]{16} .*"), line);
                assertFalse(line.contains(marker + "'") || line.contains("text="), "no statement text by default: " + line);
            }
            assertTrue(lines.get(1).contains(" status=400 "), lines.get(1));
        }
    }

    @Test
    void keysRotateThroughTheFileWithoutARestart() throws InterruptedException {
        ApiKeyFiles.Key second = new ApiKeyFiles.Key("alice-key-2", "alice", null, List.of("analyst"));
        try {
            ApiKeyMode.writeAliceKeys(List.of(ALICE, second));
            awaitStatus(second, 200);
            assertEquals(200, status(ALICE), "both keys of alice are valid during the rotation");
            ApiKeyMode.writeAliceKeys(List.of(second));
            awaitStatus(ALICE, 401);
            assertEquals(200, status(second));
        } finally {
            ApiKeyMode.writeAliceKeys(List.of(ALICE));
            awaitStatus(ALICE, 200);
        }
    }

    private static int status(ApiKeyFiles.Key key) {
        return given().header("Authorization", bearer(key)).when().get("/v1/statements?limit=1").statusCode();
    }

    private static void awaitStatus(ApiKeyFiles.Key key, int expected) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertEquals(expected, status(key), "key " + key.principal() + " after the keys file changed"));
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8).replaceAll("\"requestId\":\"[^\"]*\"", "");
    }
}
