package dev.sparkgateway.session;

import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.testing.AdvancingClock;
import dev.sparkgateway.testing.ApiKeyFiles;
import dev.sparkgateway.testing.ApiKeyFiles.Key;
import dev.sparkgateway.testing.Awaits;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Named sessions through HTTP against the real Spark server: state persists in one session and
 * nowhere else, on every endpoint that joins one; principals never reach each other's sessions;
 * DELETE, idle expiry and the per-principal cap; a session Spark lost is a 410, never silently
 * replaced; initial confs pass the SQL policy and never set the gateway's own keys.
 */
@QuarkusTest
@TestProfile(NamedSessionsTest.Profile.class)
class NamedSessionsTest {

    static final Path FILE = Path.of("target", "test-auth", "named-sessions-test-keys.json").toAbsolutePath();
    static final Key ANNA = new Key("anna-key", "anna", null, List.of("analyst"));
    static final Key BEN = new Key("ben-key", "ben", null, List.of("analyst"));
    static final Key CARL = new Key("carl-key", "carl", null, List.of("analyst"));
    static final Key ROOT = new Key("root-key", "root", null, List.of("admin"));
    static final int MAX_PER_PRINCIPAL = 3;
    static final Duration IDLE = Duration.ofMinutes(10);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            ApiKeyFiles.write(FILE, List.of(ANNA, BEN, CARL, ROOT));
            return Map.of("gateway.auth.mode", "api-key", "gateway.auth.api-keys-file", FILE.toString(),
                    "gateway.sessions.max-per-principal", Integer.toString(MAX_PER_PRINCIPAL),
                    "gateway.sessions.idle-timeout", IDLE.toString(),
                    "gateway.pool.maintenance-interval", "200ms");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(AdvancingClock.class);
        }
    }

    @Inject
    NamedSessions sessions;
    @Inject
    SparkConnectClient client;
    @Inject
    AdvancingClock clock;

    private static boolean databaseMade;

    @BeforeEach
    void adminMakesADatabase() {
        if (!databaseMade) {
            databaseMade = true;
            sql(ROOT, null, "CREATE DATABASE IF NOT EXISTS `sessions_db`").then().statusCode(200);
            sql(ROOT, null, "CREATE TABLE IF NOT EXISTS sessions_db.sevens USING parquet AS SELECT 7 AS seven").then().statusCode(200);
            // A keyword as a name: USE gets it quoted as one identifier.
            sql(ROOT, null, "CREATE DATABASE IF NOT EXISTS `order`").then().statusCode(200);
        }
    }

    @Test
    void stateSetInASessionIsSeenThereOnEveryEndpointAndNowhereElse() {
        String id = create(ANNA, "{\"conf\": {\"spark.sql.shuffle.partitions\": 3}}");
        sql(ANNA, id, "CREATE TEMP VIEW answer AS SELECT 42 AS x").then().statusCode(200);
        sql(ANNA, id, "SET spark.sql.ansi.enabled=false").then().statusCode(200);
        sql(ANNA, id, "USE sessions_db").then().statusCode(200);

        sql(ANNA, id, "SELECT x FROM answer").then().statusCode(200).body("rows[0][0]", equalTo(42));
        sql(ANNA, id, "SET spark.sql.shuffle.partitions").then().statusCode(200).body("rows[0][1]", equalTo("3"));
        sql(ANNA, id, "SET spark.sql.ansi.enabled").then().statusCode(200).body("rows[0][1]", equalTo("false"));
        sql(ANNA, id, "SELECT seven FROM sevens").then().statusCode(200).body("rows[0][0]", equalTo(7));
        // The body's sessionId joins as the header does.
        as(ANNA).contentType(ContentType.JSON).body("{\"sql\": \"SELECT x + 1 FROM answer\", \"sessionId\": \"" + id + "\"}")
                .post("/v1/sql").then().statusCode(200).body("rows[0][0]", equalTo(43));
        as(ANNA).contentType(ContentType.JSON).body("{\"sql\": \"SELECT x FROM answer\", \"sessionId\": \"" + id + "\","
                + " \"waitTimeout\": \"PT60S\"}").post("/v1/statements").then().statusCode(200)
                .body("state", equalTo("SUCCEEDED")).body("result.inline.rows[0][0]", equalTo(42));
        as(ANNA).header("X-Session-Id", id).contentType(ContentType.JSON).body("{\"source\": {\"table\": \"answer\"}, \"ops\": [{\"withColumn\": {\"name\": \"y\", \"expr\": \"x * 2\"}}]}")
                .post("/v1/dataframe").then().statusCode(200).body("rows[0]", equalTo(List.of(42, 84)));
        as(ANNA).header("X-Session-Id", id).contentType(ContentType.TEXT).body("SELECT x FROM answer")
                .post("/v1/sql/schema").then().statusCode(200).body("schema[0].name", equalTo("x"));
        as(ANNA).header("X-Session-Id", id).contentType(ContentType.TEXT).body("SELECT x FROM answer")
                .post("/v1/sql/explain").then().statusCode(200);
        // A table cached in the session (CACHE TABLE ... AS: a cached temp view) is read from memory there.
        sql(ANNA, id, "CACHE TABLE cached_answer AS SELECT x * 10 AS y FROM answer").then().statusCode(200);
        sql(ANNA, id, "SELECT y FROM cached_answer").then().statusCode(200).body("rows[0][0]", equalTo(420));
        as(ANNA).header("X-Session-Id", id).contentType(ContentType.TEXT).body("SELECT y FROM cached_answer")
                .post("/v1/sql/explain").then().statusCode(200).body("plan", containsString("InMemoryRelation"));

        String other = create(ANNA, "");
        sql(ANNA, other, "SELECT x FROM answer").then().statusCode(400).body("errorClass", equalTo("TABLE_OR_VIEW_NOT_FOUND"));
        sql(ANNA, other, "SELECT y FROM cached_answer").then().statusCode(400).body("errorClass", equalTo("TABLE_OR_VIEW_NOT_FOUND"));
        sql(ANNA, other, "SELECT current_database()").then().statusCode(200).body("rows[0][0]", equalTo("default"));
        sql(ANNA, null, "SELECT x FROM answer").then().statusCode(400).body("errorClass", equalTo("TABLE_OR_VIEW_NOT_FOUND"));
        sql(ANNA, null, "SET spark.sql.shuffle.partitions").then().statusCode(200).body("rows[0][1]", equalTo("2"));
        sql(ANNA, null, "SELECT current_database()").then().statusCode(200).body("rows[0][0]", equalTo("default"));
        delete(ANNA, id).then().statusCode(204);
        delete(ANNA, other).then().statusCode(204);
    }

    @Test
    void concurrentRequestsInOneSessionBothRun() throws Exception {
        String id = create(ROOT, "");
        sql(ROOT, id, "CREATE TEMP VIEW slow AS SELECT count(*) AS n FROM range(3000000)").then().statusCode(200);
        List<CompletableFuture<Integer>> both = List.of(
                CompletableFuture.supplyAsync(() -> sql(ROOT, id, "SELECT n FROM slow").statusCode()),
                CompletableFuture.supplyAsync(() -> sql(ROOT, id, "SELECT n + 1 FROM slow").statusCode()));
        for (CompletableFuture<Integer> f : both) {
            assertEquals(200, f.get());
        }
        sql(ROOT, id, "SELECT n FROM slow").then().statusCode(200).body("rows[0][0]", equalTo(3000000));
        delete(ROOT, id).then().statusCode(204);
    }

    @Test
    void anotherPrincipalsSessionIsTheSame404AsAnUnknownOne() {
        String id = create(ANNA, "");
        String unknown = "A" + id.substring(1).replace('A', 'B');
        for (String target : List.of(id, unknown)) {
            as(BEN).get("/v1/sessions/" + target).then().statusCode(404).body("type", equalTo("/problems/not-found"));
            as(BEN).delete("/v1/sessions/" + target).then().statusCode(404);
            sql(BEN, target, "SELECT 1").then().statusCode(404);
            as(BEN).contentType(ContentType.JSON).body("{\"sql\": \"SELECT 1\", \"sessionId\": \"" + target + "\"}")
                    .post("/v1/statements").then().statusCode(404);
            as(BEN).header("X-Session-Id", target).contentType(ContentType.JSON).body("{\"source\": {\"range\": 1}}")
                    .post("/v1/dataframe").then().statusCode(404);
        }
        String foreign = as(BEN).get("/v1/sessions/" + id).then().extract().path("detail");
        String none = as(BEN).get("/v1/sessions/" + unknown).then().extract().path("detail");
        assertEquals(none.replace(unknown, "ID"), foreign.replace(id, "ID"), "a foreign id reveals nothing");
        as(BEN).get("/v1/sessions").then().statusCode(200).body("sessions.sessionId", not(hasItem(id)));
        as(ROOT).get("/v1/sessions/" + id).then().statusCode(404); // not even an admin
        as(ANNA).get("/v1/sessions").then().statusCode(200).body("sessions.sessionId", hasItem(id));
        as(ANNA).get("/v1/sessions/" + id).then().statusCode(200).body("state", equalTo("ACTIVE"));
        sql(ANNA, id, "SELECT 1").then().statusCode(200);
        delete(ANNA, id).then().statusCode(204);
    }

    @Test
    void deleteReleasesTheSparkSession() {
        String id = create(ANNA, "");
        sql(ANNA, id, "CREATE TEMP VIEW gone_soon AS SELECT 1 AS one").then().statusCode(200);
        ConnectSession spark = sessions.sparkSession(id).orElseThrow();
        assertEquals("one", sparkSchemaField(spark, "SELECT * FROM gone_soon"), "the view is there before");
        delete(ANNA, id).then().statusCode(204);
        SparkException e = assertThrows(SparkException.class, () -> sparkSchemaField(spark, "SELECT 1 AS one"));
        assertTrue(e.isStaleSession(), "the server closed the session: " + e.errorClass());
        as(ANNA).get("/v1/sessions/" + id).then().statusCode(404);
        sql(ANNA, id, "SELECT 1").then().statusCode(404);
        delete(ANNA, id).then().statusCode(404);
    }

    @Test
    void idleSessionsExpireAndAreReleased() {
        String looked = create(ANNA, "");
        String reaped = create(ANNA, "");
        sql(ANNA, looked, "SELECT 1").then().statusCode(200);
        String idleAt = as(ANNA).get("/v1/sessions/" + looked).then().statusCode(200).extract().path("idleExpiresAt");
        ConnectSession lookedSpark = sessions.sparkSession(looked).orElseThrow();
        ConnectSession reapedSpark = sessions.sparkSession(reaped).orElseThrow();
        clock.advance(IDLE.plusMinutes(1));
        assertTrue(clock.instant().toString().compareTo(idleAt) > 0);
        // Looked up after its time: gone at once; the other is found by the reaper.
        as(ANNA).get("/v1/sessions/" + looked).then().statusCode(404);
        assertThrows(SparkException.class, () -> sparkSchemaField(lookedSpark, "SELECT 1 AS one"));
        Awaits.until(Duration.ofSeconds(30), "the reaper ends the idle session", () -> sessions.sparkSession(reaped).isEmpty());
        SparkException e = assertThrows(SparkException.class, () -> sparkSchemaField(reapedSpark, "SELECT 1 AS one"));
        assertTrue(e.isStaleSession(), e.getMessage());
        sql(ANNA, reaped, "SELECT 1").then().statusCode(404);
    }

    @Test
    void aPrincipalHoldsAtMostMaxPerPrincipalSessions() {
        List<String> held = new java.util.ArrayList<>();
        for (int i = 0; i < MAX_PER_PRINCIPAL; i++) {
            held.add(create(CARL, ""));
        }
        as(CARL).post("/v1/sessions").then().statusCode(429).body("type", equalTo("/problems/too-many-sessions"));
        create(BEN, ""); // others are not affected
        delete(CARL, held.remove(0)).then().statusCode(204);
        held.add(create(CARL, ""));
        held.forEach(id -> delete(CARL, id).then().statusCode(204));
    }

    /** Stand-in for a Spark restart: the server releases the session behind the gateway's back. */
    @Test
    void aSessionSparkLostIs410NeverASilentFreshSession() {
        String id = create(ANNA, "");
        sql(ANNA, id, "CREATE TEMP VIEW state AS SELECT 1 AS one").then().statusCode(200);
        client.releaseSession(sessions.sparkSession(id).orElseThrow());
        for (int i = 0; i < 2; i++) {
            sql(ANNA, id, "SELECT 1").then().statusCode(410).body("type", equalTo("/problems/session-lost"))
                    .body("detail", startsWith("The Spark server no longer has session " + id));
        }
        as(ANNA).contentType(ContentType.JSON).body("{\"sql\": \"SELECT 1\", \"sessionId\": \"" + id + "\"}")
                .post("/v1/statements").then().statusCode(410);
        as(ANNA).get("/v1/sessions/" + id).then().statusCode(200).body("state", equalTo("LOST"));
        String fresh = create(ANNA, "");
        assertNotEquals(id, fresh);
        sql(ANNA, fresh, "CREATE TEMP VIEW state AS SELECT 2 AS two").then().statusCode(200);
        sql(ANNA, fresh, "SELECT two FROM state").then().statusCode(200).body("rows[0][0]", equalTo(2));
        delete(ANNA, id).then().statusCode(204);
        delete(ANNA, fresh).then().statusCode(204);
    }

    @Test
    void initialConfsPassTheSqlPolicyAndNeverSetTheGatewaysOwnKeys() {
        int before = as(ANNA).get("/v1/sessions").then().extract().path("sessions.size()");
        as(ANNA).contentType(ContentType.JSON).body("{\"conf\": {\"spark.sql.legacy.setCommandRejectsSparkCoreConfs\": false}}")
                .post("/v1/sessions").then().statusCode(403).body("type", equalTo("/problems/policy-denied"));
        for (Key who : List.of(ANNA, ROOT)) {
            for (String key : List.of("spark.sparkgateway.user", "SPARK.SparkGateway.policy.restricted")) {
                as(who).contentType(ContentType.JSON).body("{\"conf\": {\"" + key + "\": \"x\"}}").post("/v1/sessions")
                        .then().statusCode(400).body("type", equalTo("/problems/invalid-request"))
                        .body("pointer", equalTo("/conf/" + key));
            }
        }
        as(ANNA).contentType(ContentType.JSON).body("{\"conf\": {\"spark.sql.x\": \"1; DROP TABLE t\"}}").post("/v1/sessions")
                .then().statusCode(400);
        as(ANNA).contentType(ContentType.JSON).body("{\"database\": \"no_such_db\"}").post("/v1/sessions")
                .then().statusCode(400).body("errorClass", equalTo("SCHEMA_NOT_FOUND"));
        as(ANNA).get("/v1/sessions").then().body("sessions.size()", equalTo(before));
    }

    @Test
    void databaseNamesAreQuotedAsOneIdentifier() {
        String id = create(ANNA, "{\"database\": \"order\"}");
        sql(ANNA, id, "SELECT current_database()").then().statusCode(200).body("rows[0][0]", equalTo("order"));
        delete(ANNA, id).then().statusCode(204);
        // Spark's session catalog takes letters, digits and '_' only; other catalogs take more, backticks included.
        assertEquals("`we``ird.name`", NamedSessions.quoted("we`ird.name"));
    }

    @Test
    void createdSessionsAnswerWithTheirLocationAndTimes() {
        Response created = as(ANNA).post("/v1/sessions");
        created.then().statusCode(201);
        String id = created.path("sessionId");
        assertTrue(created.header("Location").endsWith("/v1/sessions/" + id));
        assertTrue(id.length() >= 32, "unguessable: " + id);
        assertNotEquals(sessions.sparkSession(id).orElseThrow().sessionId(), id, "not the Spark session id");
        as(ANNA).get("/v1/sessions/" + id).then().statusCode(200)
                .body("createdAt", equalTo(created.path("createdAt")))
                .body("expiresAt", equalTo(created.path("expiresAt")));
        delete(ANNA, id).then().statusCode(204);
    }

    @Test
    void theOpenApiDocumentDescribesSessionsAndWhereTheyAreJoined() {
        io.restassured.path.json.JsonPath spec = given().accept("application/json").get("/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        for (String op : List.of("'/v1/sessions'.post", "'/v1/sessions'.get", "'/v1/sessions/{id}'.get", "'/v1/sessions/{id}'.delete")) {
            assertTrue(spec.getString("paths." + op + ".operationId") != null, op);
        }
        // The operations that run something take the header.
        for (String path : List.of("/v1/sql", "/v1/sql/schema", "/v1/dataframe", "/v1/dataframe/explain", "/v1/plan", "/v1/statements")) {
            List<String> headers = spec.getList("paths.'" + path + "'.post.parameters.findAll { it.in == 'header' }.name");
            assertTrue(headers.contains("X-Session-Id"), path + " takes X-Session-Id: " + headers);
            assertTrue(spec.getMap("paths.'" + path + "'.post.responses").containsKey("410"), path + " may answer 410");
        }
        List<String> plan = spec.getList("paths.'/v1/dataframe/plan'.post.parameters.name");
        assertTrue(plan == null || !plan.contains("X-Session-Id"), "a spec's plan runs nothing in Spark");
    }

    /** The first column's name of {@code sql}'s schema, asked of Spark directly in {@code session}. */
    private String sparkSchemaField(ConnectSession session, String sql) {
        return client.analyze(session, AnalyzePlanRequest.newBuilder().setSchema(AnalyzePlanRequest.Schema.newBuilder()
                .setPlan(dev.sparkgateway.plan.SqlPlans.root(dev.sparkgateway.plan.SqlPlans.sql(sql, null),
                        java.util.OptionalLong.empty())))).getSchema().getSchema().getStruct().getFields(0).getName();
    }

    private static RequestSpecification as(Key who) {
        return given().header("Authorization", "Bearer " + who.key());
    }

    private static String create(Key who, String body) {
        RequestSpecification request = as(who);
        if (!body.isEmpty()) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.post("/v1/sessions").then().log().ifValidationFails().statusCode(201).extract().path("sessionId");
    }

    private static Response sql(Key who, String session, String sql) {
        RequestSpecification request = as(who).contentType(ContentType.TEXT).body(sql);
        if (session != null) {
            request = request.header("X-Session-Id", session);
        }
        return request.post("/v1/sql");
    }

    private static Response delete(Key who, String id) {
        return as(who).delete("/v1/sessions/" + id);
    }
}
