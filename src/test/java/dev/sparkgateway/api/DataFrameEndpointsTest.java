package dev.sparkgateway.api;

import dev.sparkgateway.plan.PlanJson;
import dev.sparkgateway.plan.dataframe.DataFrameSpecs;
import dev.sparkgateway.plan.dataframe.SpecLimits;
import dev.sparkgateway.testing.RawHttp;
import dev.sparkgateway.testing.SparkActivity;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.sparkgateway.api.DataFrameFixtures.assertSameResult;
import static dev.sparkgateway.api.DataFrameFixtures.runSpec;
import static dev.sparkgateway.api.DataFrameFixtures.runSql;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** File reads, formats, schema/explain, raw plans and Spark's own errors for DataFrame specs. */
@QuarkusTest
class DataFrameEndpointsTest {

    private static final String GROUPED = "{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"groupBy\": {\"by\": [\"dept_id\"],"
            + " \"agg\": [\"count(*) AS n\", \"max(age) AS oldest\"]}}, {\"orderBy\": \"dept_id\"}]}";

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    SparkActivity spark;

    @BeforeEach
    void tables() {
        DataFrameFixtures.createTables();
    }

    private static String directory(String name) {
        return Path.of("target", "test-data", name + "-" + UUID.randomUUID()).toAbsolutePath().toString();
    }

    @Test
    void readsParquetWrittenByAnEarlierRequest() {
        String dir = directory("people-parquet");
        DataFrameFixtures.sql("INSERT OVERWRITE DIRECTORY '" + dir + "' USING parquet SELECT * FROM df_people");
        assertSameResult("{\"source\": {\"read\": {\"format\": \"parquet\", \"path\": \"" + dir + "\"}}}",
                "SELECT * FROM df_people", false);
    }

    @Test
    void readsCsvJsonAndOrcWithOptionsAndSchema() {
        String schema = "id INT, name STRING, age INT, dept_id INT, salary DECIMAL(10,2)";
        String csv = directory("people-csv");
        DataFrameFixtures.sql("INSERT OVERWRITE DIRECTORY '" + csv + "' USING csv OPTIONS (header 'true') SELECT * FROM df_people");
        assertSameResult("{\"source\": {\"read\": {\"format\": \"csv\", \"paths\": [\"" + csv + "\"], \"options\": {\"header\": true},"
                + " \"schema\": \"" + schema + "\"}}}", "SELECT * FROM df_people", false);
        String json = directory("people-json");
        DataFrameFixtures.sql("INSERT OVERWRITE DIRECTORY '" + json + "' USING json SELECT * FROM df_people");
        assertSameResult("{\"source\": {\"read\": {\"format\": \"json\", \"path\": \"" + json + "\", \"schema\": \"" + schema + "\"}},"
                + " \"ops\": [{\"filter\": \"age > 30\"}]}", "SELECT * FROM df_people WHERE age > 30", false);
        String orc = directory("people-orc");
        DataFrameFixtures.sql("INSERT OVERWRITE DIRECTORY '" + orc + "' USING orc SELECT * FROM df_people");
        assertSameResult("{\"source\": {\"read\": {\"format\": \"ORC\", \"path\": \"" + orc + "\"}}}", "SELECT * FROM df_people", false);
    }

    @Test
    void everyResultFormatAndTheRowLimit() throws Exception {
        byte[] arrow = given().contentType(ContentType.JSON).accept("application/vnd.apache.arrow.stream").body(GROUPED)
                .when().post("/v1/dataframe")
                .then().statusCode(200).contentType("application/vnd.apache.arrow.stream").extract().asByteArray();
        long rows = 0;
        try (RootAllocator allocator = new RootAllocator();
             ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(arrow), allocator)) {
            assertEquals(List.of("dept_id", "n", "oldest"),
                    reader.getVectorSchemaRoot().getSchema().getFields().stream().map(f -> f.getName()).toList());
            while (reader.loadNextBatch()) {
                rows += reader.getVectorSchemaRoot().getRowCount();
            }
        }
        assertEquals(4, rows);
        given().contentType(ContentType.JSON).queryParam("format", "csv").body(GROUPED).when().post("/v1/dataframe")
                .then().statusCode(200).body(startsWith("dept_id,n,oldest\r\n,1,29\r\n10,2,36\r\n"));
        given().contentType(ContentType.JSON).accept("application/x-ndjson").body(GROUPED).when().post("/v1/dataframe")
                .then().statusCode(200).body(containsString("[20,2,41]"));
        given().contentType(ContentType.JSON).queryParam("limit", 2).body(GROUPED).when().post("/v1/dataframe")
                .then().statusCode(200).body("rowCount", equalTo(2)).body("truncated", equalTo(true));
    }

    @Test
    void schemaWithoutRunningMatchesTheResultSchema() {
        String sql = "SELECT id, CAST(id AS STRING) AS s, :f AS f FROM range(3)";
        String body = "{\"sql\": \"" + sql + "\", \"parameters\": {\"f\": 1.5}}";
        List<Object> fromResult = given().contentType(ContentType.JSON).body(body).when().post("/v1/sql")
                .then().statusCode(200).extract().jsonPath().getList("schema");
        given().contentType(ContentType.JSON).body(body).when().post("/v1/sql/schema")
                .then().statusCode(200).contentType("application/json")
                .body("schema", equalTo(fromResult))
                .body("schema[0].name", equalTo("id")).body("schema[0].type", equalTo("bigint"))
                .body("schema[2].type", equalTo("double"));
        given().contentType(ContentType.TEXT).body("SELECT 1 AS one;").when().post("/v1/sql/schema")
                .then().statusCode(200).body("schema", equalTo(List.of(DataFrameFixtures.column("one", "int", false))));
        List<Object> dataFrameResult = runSpec(GROUPED).getList("schema");
        given().contentType(ContentType.JSON).body(GROUPED).when().post("/v1/dataframe/schema")
                .then().statusCode(200).body("schema", equalTo(dataFrameResult));
    }

    @Test
    void schemaAndExplainRefuseCommandsWithoutRunningThem() {
        String create = "CREATE TABLE df_must_not_exist (a INT) USING parquet";
        for (String path : new String[] {"/v1/sql/schema", "/v1/sql/explain"}) {
            given().contentType(ContentType.TEXT).body(create).when().post(path)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errorClass", startsWith("PARSE_")).body("detail", containsString("queries only"));
        }
        for (String path : new String[] {"/v1/dataframe/schema", "/v1/dataframe/explain"}) {
            given().contentType(ContentType.JSON).body("{\"source\": {\"sql\": \"" + create + "\"}, \"ops\": [{\"limit\": 1}]}")
                    .when().post(path)
                    .then().statusCode(400).body("errorClass", startsWith("PARSE_"));
        }
        assertEquals(0, runSql("SHOW TABLES LIKE 'df_must_not_exist'").getInt("rowCount"));
    }

    @Test
    void explainInEveryMode() {
        Map<String, String> markers = Map.of("simple", "== Physical Plan ==", "extended", "== Parsed Logical Plan ==",
                "codegen", "WholeStageCodegen", "cost", "Statistics(", "formatted", "(1) Range");
        markers.forEach((mode, marker) -> given().contentType(ContentType.TEXT).queryParam("mode", mode)
                .body("SELECT id * 2 AS twice FROM range(10) WHERE id > 3").when().post("/v1/sql/explain")
                .then().statusCode(200).body("mode", equalTo(mode)).body("plan", containsString(marker)));
        given().contentType(ContentType.TEXT).body("SELECT 1").when().post("/v1/sql/explain")
                .then().statusCode(200).body("mode", equalTo("simple")).body("plan", containsString("== Physical Plan =="));
        given().contentType(ContentType.JSON).queryParam("mode", "extended")
                .body("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"join\": {\"right\": {\"source\": {\"table\": \"df_depts\"}},"
                        + " \"on\": [\"dept_id\"]}}]}").when().post("/v1/dataframe/explain")
                .then().statusCode(200).body("plan", containsString("Join")).body("plan", containsString("== Optimized Logical Plan =="));
        given().contentType(ContentType.TEXT).queryParam("mode", "verbose").body("SELECT 1").when().post("/v1/sql/explain")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("unknown explain mode"));
    }

    @Test
    void rawPlanFromTheTranslatorRunsLikeTheSpec() throws Exception {
        String planJson = PlanJson.print(DataFrameSpecs.toRelation(new ObjectMapper().readTree(GROUPED), "", SpecLimits.DEFAULTS));
        JsonPath expected = runSpec(GROUPED);
        JsonPath viaPlan = given().contentType(ContentType.JSON).body(planJson).when().post("/v1/plan")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(expected.getList("schema"), viaPlan.getList("schema"));
        assertEquals(expected.getList("rows"), viaPlan.getList("rows"));

        // The gateway shows the same plan, and a bare Relation is accepted too.
        String shown = given().contentType(ContentType.JSON).body(GROUPED).when().post("/v1/dataframe/plan")
                .then().statusCode(200).extract().asString();
        assertEquals(new ObjectMapper().readTree(planJson), new ObjectMapper().readTree(shown));
        String relation = new ObjectMapper().readTree(planJson).get("root").toString();
        given().contentType(ContentType.JSON).body(relation).when().post("/v1/plan")
                .then().statusCode(200).body("rows", equalTo(expected.getList("rows")));
        given().contentType(ContentType.JSON).body(planJson).when().post("/v1/plan/schema")
                .then().statusCode(200).body("schema", equalTo(expected.getList("schema")));
        given().contentType(ContentType.JSON).body(planJson).when().post("/v1/plan/explain")
                .then().statusCode(200).body("plan", containsString("HashAggregate"));
    }

    @Test
    void invalidRawPlansAre400() {
        given().contentType(ContentType.JSON).body("{\"root\": {\"rangee\": {}}}").when().post("/v1/plan")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not a valid Spark Connect Plan")).body("pointer", equalTo(""));
        given().contentType(ContentType.JSON).body("{\"command\": {\"sqlCommand\": {\"sql\": \"DROP TABLE df_people\"}}}")
                .when().post("/v1/plan")
                .then().statusCode(400).body("pointer", equalTo("/command")).body("detail", containsString("/v1/sql"));
        given().contentType(ContentType.JSON).body("{}").when().post("/v1/plan")
                .then().statusCode(400).body("detail", containsString("the relation is empty"));
        given().contentType(ContentType.TEXT).body("SELECT 1").when().post("/v1/plan").then().statusCode(415);
        assertEquals(6, runSql("SELECT * FROM df_people").getInt("rowCount"));
    }

    @Test
    void sparkAnalysisErrorsCarryErrorClassAndSqlState() {
        given().contentType(ContentType.JSON).body("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"filter\": \"agee > 1\"}]}")
                .when().post("/v1/dataframe")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errorClass", equalTo("UNRESOLVED_COLUMN.WITH_SUGGESTION")).body("sqlState", equalTo("42703"))
                .body("detail", containsString("agee"));
        given().contentType(ContentType.JSON).body("{\"source\": {\"table\": \"df_people\"}, \"ops\": [{\"select\": \"array(1) + name\"}]}")
                .when().post("/v1/dataframe")
                .then().statusCode(400).body("errorClass", startsWith("DATATYPE_MISMATCH")).body("sqlState", equalTo("42K09"));
        given().contentType(ContentType.JSON).body("{\"source\": {\"table\": \"df_no_such_table\"}}").when().post("/v1/dataframe/schema")
                .then().statusCode(400).body("errorClass", equalTo("TABLE_OR_VIEW_NOT_FOUND")).body("sqlState", equalTo("42P01"));
        given().contentType(ContentType.JSON).body("{\"source\": {\"read\": {\"format\": \"parquet\", \"path\": \"/no/such/dir\"}}}")
                .when().post("/v1/dataframe")
                .then().statusCode(400).body("errorClass", equalTo("PATH_NOT_FOUND"));
    }

    @Test
    void sqlSourceCommandRunsButItsSessionIsNotReused() {
        given().contentType(ContentType.JSON).body("{\"source\": {\"sql\": \"SET spark.sql.shuffle.partitions=7\"}}")
                .when().post("/v1/dataframe")
                .then().statusCode(200).body("rows[0]", equalTo(List.of("spark.sql.shuffle.partitions", "7")));
        // Whichever pooled session answers, none carries the SET.
        for (int i = 0; i < 3; i++) {
            assertEquals("2", runSql("SET spark.sql.shuffle.partitions").getList("rows[0]").get(1));
        }
    }

    @Test
    void disconnectInterruptsARunningSpec() throws Exception {
        String slow = "{\"source\": {\"range\": {\"end\": 50000000000, \"numPartitions\": 5000}}, \"ops\": [{\"agg\": [\"sum(hash(id)) AS h\"]}]}";
        long started = System.nanoTime();
        try (RawHttp gone = RawHttp.post(port, "/v1/dataframe", "application/json", slow)) {
            // Kept on purpose: lets Spark's job get going, so the disconnect interrupts a computing job, which the
            // gateway's API cannot show for a /v1/sql or /v1/dataframe request (Spark 4.0 may still run the job of
            // an operation interrupted while it was planned).
            Thread.sleep(1500);
            assertEquals(1, spark.pool().inUse());
        }
        spark.assertNothingRuns();
        assertTrue(System.nanoTime() - started < 20_000_000_000L);
        // The job's tasks stopped too: a small query gets the cores at once.
        long quick = System.nanoTime();
        assertEquals(1000, ((Number) runSql("SELECT count(*) FROM range(0, 1000, 1, 4)").getList("rows[0]").get(0)).intValue());
        assertTrue(System.nanoTime() - quick < 10_000_000_000L, "a small query waited for the interrupted job's tasks");
    }
}
