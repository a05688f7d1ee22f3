package dev.sparkgateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.testing.ApiKeyFiles;
import dev.sparkgateway.testing.StatementClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safe SQL surface, through HTTP against the real Spark server with the policy extension
 * loaded: every category is denied to a restricted principal on every endpoint (also through
 * views, CTEs, subqueries and mixed case) with a 403 naming what was denied, and allowed to an
 * admin; a restricted principal cannot lift its own mark. (Also: protected metrics.)
 */
@QuarkusTest
@TestProfile(SqlPolicyTest.Keys.class)
class SqlPolicyTest {

    static final Path FILE = Path.of("target", "test-auth", "sql-policy-test-keys.json").toAbsolutePath();
    static final ApiKeyFiles.Key ANALYST = new ApiKeyFiles.Key("analyst-key", "ana", null, List.of("analyst"));
    static final ApiKeyFiles.Key ADMIN = new ApiKeyFiles.Key("admin-key", "ops", null, List.of("admin"));
    static final String REFLECT = "reflect('java.lang.System', 'getProperty', 'java.class.path')";

    public static class Keys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            ApiKeyFiles.write(FILE, List.of(ANALYST, ADMIN));
            return Map.of("gateway.auth.mode", "api-key", "gateway.auth.api-keys-file", FILE.toString(),
                    "gateway.auth.protect-metrics", "true");
        }
    }

    @TestHTTPResource("/")
    URI base;

    private static boolean viewsDefined;

    /** Once, when the app runs (RestAssured knows its port only then): an admin's views over forbidden things. */
    @BeforeEach
    void adminDefinesViewsOverForbiddenThings() {
        if (viewsDefined) {
            return;
        }
        viewsDefined = true;
        sql(ADMIN, "CREATE OR REPLACE GLOBAL TEMP VIEW policy_reflect AS SELECT " + REFLECT + " AS cp").then().statusCode(200);
        sql(ADMIN, "CREATE OR REPLACE VIEW default.policy_file AS SELECT * FROM text.`/etc/hostname`").then().statusCode(200);
        sql(ADMIN, "CREATE TABLE IF NOT EXISTS default.policy_ok USING parquet AS SELECT 1 AS one").then().statusCode(200);
    }

    /** Statements a restricted principal may not run, and what the denial must name. */
    static final Map<String, String> DENIED = Map.ofEntries(
            Map.entry("SELECT " + REFLECT, "reflect"),
            Map.entry("SELECT JaVa_MeThOd('java.lang.System', 'getenv', 'HOME')", "java_method"),
            Map.entry("SELECT try_reflect('java.lang.System', 'getenv', 'HOME')", "reflect"),
            Map.entry("WITH c AS (SELECT " + REFLECT + " AS v) SELECT * FROM c", "reflect"),
            Map.entry("SELECT * FROM range(1) WHERE id IN (SELECT length(" + REFLECT + "))", "reflect"),
            Map.entry("SELECT * FROM global_temp.policy_reflect", "reflect"),
            Map.entry("CREATE OR REPLACE TEMP VIEW mine AS SELECT " + REFLECT + " AS v", "reflect"),
            Map.entry("SELECT TRANSFORM(id) USING 'cat' AS (x) FROM range(1)", "TRANSFORM"),
            Map.entry("ADD JAR /tmp/nothing.jar", "ADD JAR"),
            Map.entry("CREATE TEMPORARY FUNCTION f AS 'org.apache.spark.sql.catalyst.expressions.Upper'", "function"),
            Map.entry("SELECT * FROM text.`/etc/hostname`", "/etc/hostname"),
            Map.entry("SELECT * FROM TEXT.`file:///etc/hostname`", "/etc/hostname"),
            Map.entry("SELECT * FROM default.policy_file", "/etc/hostname"),
            Map.entry("INSERT OVERWRITE DIRECTORY '/tmp/policy-out' USING parquet SELECT 1", "/tmp/policy-out"),
            Map.entry("CREATE TABLE policy_loc (a INT) USING parquet LOCATION '/tmp/policy-loc'", "/tmp/policy-loc"),
            Map.entry("CREATE TEMPORARY VIEW j USING jdbc OPTIONS (url 'jdbc:h2:mem:x', dbtable 't')", "JDBC"),
            Map.entry("SET spark.sparkgateway.policy.restricted=false", "spark.sparkgateway.policy.restricted"),
            Map.entry("RESET", "RESET"),
            Map.entry("SET spark.sql.legacy.setCommandRejectsSparkCoreConfs=false", "spark.sql.legacy.setCommandRejectsSparkCoreConfs"));

    @Test
    void everyCategoryIsDeniedThroughSqlWithA403NamingIt() {
        DENIED.forEach((statement, named) -> {
            Response response = sql(ANALYST, statement);
            assertDenied(response, named, statement);
            // The same statement is the admin's to run (some fail for other reasons: no such jar, no script... but not by policy).
            Response asAdmin = sql(ADMIN, statement);
            assertTrue(asAdmin.statusCode() != 403, "admin was denied " + statement + ": " + asAdmin.asString());
        });
    }

    @Test
    void theMarkCannotBeLifted() {
        assertDenied(sql(ANALYST, "SET spark.sparkgateway.policy.restricted=false"), "spark.sparkgateway.policy.restricted", "SET");
        assertDenied(sql(ANALYST, "RESET spark.sparkgateway.policy.restricted"), "spark.sparkgateway.policy.restricted", "RESET key");
        assertDenied(sql(ANALYST, "SELECT " + REFLECT), "reflect", "after the attempts");
    }

    @Test
    void whatIsNotDangerousStaysAllowed() {
        assertEquals("1", sql(ANALYST, "SELECT one FROM default.policy_ok").then().statusCode(200).extract().jsonPath()
                .getString("rows[0][0]"));
        sql(ANALYST, "SET spark.sql.shuffle.partitions=3").then().statusCode(200);
        sql(ANALYST, "SELECT upper('x'), current_user()").then().statusCode(200);
        assertTrue(sql(ADMIN, "SELECT " + REFLECT).then().statusCode(200).extract().asString().contains("jar"));
    }

    @Test
    void theDataFrameDoorIsPolicedToo() {
        assertDenied(post(ANALYST, "/v1/dataframe", "{\"source\": {\"read\": {\"format\": \"text\", \"path\": \"/etc/hostname\"}}}"),
                "/etc/hostname", "read by path");
        assertDenied(post(ANALYST, "/v1/dataframe", "{\"source\": {\"sql\": \"SELECT 1 AS x\"}, \"ops\": [{\"select\": [\"" + REFLECT + " AS cp\"]}]}"),
                "reflect", "expression in an op");
        assertDenied(post(ANALYST, "/v1/dataframe", "{\"source\": {\"read\": {\"format\": \"JDBC\", \"path\": \"t\", \"options\": {\"url\": \"jdbc:h2:mem:x\"}}}}"),
                "JDBC", "jdbc read, refused by the gateway");
        assertDenied(post(ANALYST, "/v1/dataframe/schema", "{\"source\": {\"read\": {\"format\": \"text\", \"path\": \"/etc/hostname\"}}}"),
                "/etc/hostname", "schema of a read by path");
        post(ADMIN, "/v1/dataframe", "{\"source\": {\"read\": {\"format\": \"text\", \"path\": \"/etc/hostname\"}}}").then().statusCode(200);
    }

    @Test
    void theRawPlanDoorIsPolicedToo() {
        assertDenied(post(ANALYST, "/v1/plan", "{\"root\": {\"read\": {\"dataSource\": {\"format\": \"text\", \"paths\": [\"/etc/hostname\"]}}}}"),
                "/etc/hostname", "plan read by path");
        assertDenied(post(ANALYST, "/v1/plan", "{\"root\": {\"sql\": {\"query\": \"SELECT " + REFLECT + "\"}}}"),
                "reflect", "plan with SQL");
        String udf = "{\"root\": {\"project\": {\"input\": {\"range\": {\"end\": \"1\", \"step\": \"1\"}}, \"expressions\": [{"
                + "\"commonInlineUserDefinedFunction\": {\"functionName\": \"f\", \"javaUdf\": {\"className\": \"com.example.F\"}}}]}}}";
        Response denied = post(ANALYST, "/v1/plan", udf);
        assertDenied(denied, "user-defined code", "UDF in a plan");
        assertTrue(denied.jsonPath().getString("detail").contains("commonInlineUserDefinedFunction"), denied.asString());
        post(ADMIN, "/v1/plan", "{\"root\": {\"read\": {\"dataSource\": {\"format\": \"text\", \"paths\": [\"/etc/hostname\"]}}}}")
                .then().statusCode(200);
    }

    @Test
    void theStatementsDoorIsPolicedToo() {
        StatementClient statements = new StatementClient(base);
        JsonNode failed = statements.submit(200, "{\"sql\": \"SELECT " + REFLECT + "\", \"waitTimeout\": \"PT30S\"}",
                "Authorization", "Bearer " + ANALYST.key());
        assertEquals("FAILED", failed.path("state").asText(), failed.toString());
        assertEquals(403, failed.at("/error/status").asInt(), failed.toString());
        assertEquals("/problems/policy-denied", failed.at("/error/type").asText());
        assertTrue(failed.at("/error/detail").asText().contains("reflect"), failed.toString());
        JsonNode ok = statements.submit(200, "{\"sql\": \"SELECT " + REFLECT + "\", \"waitTimeout\": \"PT30S\"}",
                "Authorization", "Bearer " + ADMIN.key());
        assertEquals("SUCCEEDED", ok.path("state").asText(), ok.toString());
    }

    @Test
    void protectedMetricsNeedAnAdminOrMetricsRole() {
        given().when().get("/q/metrics").then().statusCode(401);
        given().header("Authorization", "Bearer " + ANALYST.key()).when().get("/q/metrics").then().statusCode(403)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer " + ADMIN.key()).when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
    }

    private static void assertDenied(Response response, String named, String what) {
        String body = response.asString();
        assertEquals(403, response.statusCode(), what + ": " + body);
        assertEquals("application/problem+json", response.contentType().replaceAll(";.*", ""), what);
        assertEquals("/problems/policy-denied", response.jsonPath().getString("type"), what + ": " + body);
        assertTrue(response.jsonPath().getString("detail").toLowerCase().contains(named.toLowerCase()),
                what + ": the detail should name " + named + ": " + body);
    }

    private static Response sql(ApiKeyFiles.Key key, String statement) {
        return given().header("Authorization", "Bearer " + key.key()).contentType(ContentType.TEXT).body(statement)
                .when().post("/v1/sql");
    }

    private static Response post(ApiKeyFiles.Key key, String path, String json) {
        return given().header("Authorization", "Bearer " + key.key()).contentType(ContentType.JSON).body(json)
                .when().post(path);
    }
}
