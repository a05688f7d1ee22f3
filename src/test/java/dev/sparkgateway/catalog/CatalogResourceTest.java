package dev.sparkgateway.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkgateway.testing.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalog endpoints against the real Spark server: what SQL creates shows up with its flags,
 * names that need quoting work, pages cover a listing exactly once, and missing things are 404s.
 * Spark's session catalog takes only letters, digits and _ in database and table names, so the
 * names with dots, backticks and umlauts are columns and global temporary views (whose names Spark
 * does not restrict).
 */
@QuarkusTest
class CatalogResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Unique per run: the shared Spark server outlives a test class. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DB = "cat_" + RUN;
    private static final String PAGED_DB = "cat_paged_" + RUN;
    private static final List<String> ODD_VIEWS = List.of("we.ird_" + RUN, "tab`le_" + RUN, "größe_" + RUN);
    private static final int PAGED_TABLES = 7;
    private static final String DATABASES = "/v1/catalogs/spark_catalog/databases";
    private static boolean created;
    /** RestAssured's port as the tests saw it: Quarkus resets it after each test, before @AfterAll. */
    private static int port;

    // Not @BeforeAll: RestAssured learns the random test port only before each test.
    @BeforeEach
    void create() {
        if (created) {
            return;
        }
        port = RestAssured.port;
        sql("CREATE DATABASE " + DB + " COMMENT 'catalog test'");
        sql("CREATE TABLE " + DB + ".sales (amount DECIMAL(10,2) COMMENT 'in EUR', `größe` INT, `we.ird` STRING,"
                + " `tab``le` ARRAY<STRING>, s STRUCT<x: INT, y: STRING>, day DATE) USING parquet PARTITIONED BY (day)");
        sql("CREATE TABLE " + DB + ".bucketed (id BIGINT NOT NULL, name STRING) USING parquet"
                + " CLUSTERED BY (id) INTO 4 BUCKETS");
        sql("CREATE VIEW " + DB + ".big_sales AS SELECT * FROM " + DB + ".sales WHERE amount > 100");
        sql("CREATE FUNCTION " + DB + ".plus_one(x INT) RETURNS INT RETURN x + 1");
        sql("CREATE DATABASE " + PAGED_DB);
        for (int i = 0; i < PAGED_TABLES; i++) {
            sql("CREATE TABLE " + PAGED_DB + ".t" + i + " (id INT) USING parquet");
        }
        for (String view : ODD_VIEWS) {
            sql("CREATE GLOBAL TEMP VIEW " + Names.quote(view) + " AS SELECT 1 AS `ünï`");
        }
        created = true;
    }

    @AfterAll
    static void drop() {
        if (!created) {
            return;
        }
        RestAssured.port = port;
        sql("DROP DATABASE " + DB + " CASCADE");
        sql("DROP DATABASE " + PAGED_DB + " CASCADE");
        ODD_VIEWS.forEach(view -> sql("DROP VIEW global_temp." + Names.quote(view)));
    }

    /** Runs SQL sent as JSON (UTF-8, unlike text/plain's default ISO-8859-1 in RestAssured). */
    private static void sql(String statement) {
        try {
            Sql.json(JSON.writeValueAsString(Map.of("sql", statement))).statusCode(200);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ValidatableResponse get(String path, Object... params) {
        return given().when().get(path, params).then();
    }

    @Test
    void catalogsNameTheSessionCatalogAsCurrent() {
        get("/v1/catalogs").statusCode(200).contentType("application/json")
                .body("catalogs.name", hasItem("spark_catalog")).body("current", equalTo("spark_catalog"));
        get("/v1/catalogs?like=nothing_like_this*").statusCode(200).body("catalogs", empty());
    }

    @Test
    void databasesAreListedAndFilteredByLike() {
        get(DATABASES).statusCode(200).body("databases.name", hasItem(DB)).body("databases.name", hasItem("default"));
        get(DATABASES + "?like={like}", "cat_*" + RUN).statusCode(200)
                .body("databases.name", hasItem(DB))
                .body("databases.find { it.name == '" + DB + "' }.description", equalTo("catalog test"))
                .body("databases.find { it.name == '" + DB + "' }.catalog", equalTo("spark_catalog"))
                // An unrestricted principal (none mode's anonymous admin) sees where the files are.
                .body("databases.find { it.name == '" + DB + "' }.locationUri", containsString(DB));
        List<String> filtered = get(DATABASES + "?like={like}", DB + "|" + PAGED_DB).statusCode(200)
                .extract().jsonPath().getList("databases.name");
        assertEquals(List.of(DB, PAGED_DB), filtered);
    }

    @Test
    void tablesShowTheirTypeAndPartitionAndBucketColumns() {
        ValidatableResponse tables = get(DATABASES + "/{db}/tables", DB).statusCode(200);
        tables.body("tables.name", contains("big_sales", "bucketed", "sales"))
                .body("tables.find { it.name == 'sales' }.tableType", equalTo("MANAGED"))
                .body("tables.find { it.name == 'sales' }.namespace", contains(DB))
                .body("tables.find { it.name == 'sales' }.catalog", equalTo("spark_catalog"))
                .body("tables.find { it.name == 'sales' }.isTemporary", equalTo(false))
                .body("tables.find { it.name == 'big_sales' }.tableType", equalTo("VIEW"))
                .body("nextPageToken", nullValue());

        get(DATABASES + "/{db}/tables/{t}", DB, "sales").statusCode(200)
                .body("name", equalTo("sales")).body("tableType", equalTo("MANAGED"))
                .body("provider", equalTo("parquet")).body("location", containsString(DB + ".db/sales"))
                .body("columns.name", contains("amount", "größe", "we.ird", "tab`le", "s", "day"))
                .body("columns.type", contains("decimal(10,2)", "int", "string", "array<string>",
                        "struct<x:int,y:string>", "date"))
                .body("columns[0].comment", equalTo("in EUR")).body("columns[1].comment", nullValue())
                .body("columns.isPartition", contains(false, false, false, false, false, true))
                .body("columns.isBucket", contains(false, false, false, false, false, false))
                .body("columns.isCluster", contains(false, false, false, false, false, false));
        get(DATABASES + "/{db}/tables/{t}", DB, "bucketed").statusCode(200)
                .body("columns.name", contains("id", "name"))
                .body("columns.isBucket", contains(true, false))
                .body("columns.type", contains("bigint", "string"));
        get(DATABASES + "/{db}/tables/{t}", DB, "big_sales").statusCode(200)
                .body("tableType", equalTo("VIEW")).body("columns.name", hasItem("größe"))
                .body("$", not(org.hamcrest.Matchers.hasKey("provider"))).body("$", not(org.hamcrest.Matchers.hasKey("location")));
        get(DATABASES + "/{db}/tables?like={like}", DB, "*sales").statusCode(200)
                .body("tables.name", contains("big_sales", "sales"));
    }

    @Test
    void globalTempViewsWithNamesThatNeedQuoting() {
        List<String> listed = get(DATABASES + "/global_temp/tables").statusCode(200).extract().jsonPath().getList("tables.name");
        assertTrue(listed.containsAll(ODD_VIEWS), () -> "listed: " + listed);
        for (String view : ODD_VIEWS) {
            get(DATABASES + "/global_temp/tables/{t}", view).statusCode(200)
                    .body("name", equalTo(view)).body("isTemporary", equalTo(true))
                    .body("namespace", contains("global_temp"))
                    .body("columns.name", contains("ünï")).body("columns.type", contains("int"));
        }
        get(DATABASES + "/global_temp/tables?like={like}", "größe_" + RUN).statusCode(200)
                .body("tables.name", contains("größe_" + RUN));
    }

    @Test
    void pagesCoverEveryTableExactlyOnce() {
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            var page = given().queryParam("limit", 3).queryParam("pageToken", token == null ? "" : token)
                    .when().get(DATABASES + "/{db}/tables", PAGED_DB).then().statusCode(200).extract().jsonPath();
            List<String> names = page.getList("tables.name");
            assertTrue(names.size() <= 3, () -> "page of " + names);
            seen.addAll(names);
            token = page.getString("nextPageToken");
            pages++;
        } while (token != null && pages < 10);
        List<String> expected = IntStream.range(0, PAGED_TABLES).mapToObj(i -> "t" + i).toList();
        assertEquals(expected, seen);
        assertEquals(3, pages);
        Set<String> distinct = new HashSet<>(seen);
        assertEquals(seen.size(), distinct.size());
    }

    @Test
    void aPageTokenStaysValidWhenTablesChange() {
        var first = given().queryParam("limit", 2).when().get(DATABASES + "/{db}/tables", PAGED_DB)
                .then().statusCode(200).body("tables.name", contains("t0", "t1")).extract().jsonPath();
        String token = first.getString("nextPageToken");
        sql("CREATE TABLE " + PAGED_DB + ".a_first (id INT) USING parquet");
        try {
            // Keyed by name: a table sorting before the cut does not shift the next page.
            given().queryParam("limit", 2).queryParam("pageToken", token).when().get(DATABASES + "/{db}/tables", PAGED_DB)
                    .then().statusCode(200).body("tables.name", contains("t2", "t3"));
        } finally {
            sql("DROP TABLE " + PAGED_DB + ".a_first");
        }
    }

    @Test
    void badPagingIsA400() {
        for (String limit : List.of("0", "1001", "-1")) {
            given().queryParam("limit", limit).when().get(DATABASES + "/{db}/tables", PAGED_DB).then()
                    .statusCode(400).contentType(Sql.PROBLEM).body("type", equalTo("/problems/invalid-request"))
                    .body("detail", containsString("limit"));
        }
        given().queryParam("limit", "many").when().get(DATABASES + "/{db}/tables", PAGED_DB).then()
                .statusCode(400).contentType(Sql.PROBLEM);
        for (String token : List.of("garbage!", "dDp0MQ", "%%%")) {
            given().queryParam("pageToken", token).when().get(DATABASES + "/{db}/functions", PAGED_DB).then()
                    .statusCode(400).contentType(Sql.PROBLEM).body("detail", containsString("pageToken"));
        }
    }

    @Test
    void functionsOfTheDatabaseAlongsideBuiltins() {
        get(DATABASES + "/{db}/functions?like={like}", DB, "plus_*").statusCode(200)
                .body("functions.name", contains("plus_one"))
                .body("functions[0].catalog", equalTo("spark_catalog"))
                .body("functions[0].namespace", contains(DB))
                .body("functions[0].isTemporary", equalTo(false));
        get(DATABASES + "/{db}/functions?like=abs", DB).statusCode(200)
                .body("functions.name", contains("abs")).body("functions[0].isTemporary", equalTo(true))
                .body("functions[0].catalog", nullValue());
        // Built-ins are many: the listing pages.
        get(DATABASES + "/{db}/functions?limit=5", DB).statusCode(200)
                .body("functions.size()", equalTo(5)).body("nextPageToken", not(nullValue()));
    }

    @Test
    void missingThingsAre404sThatNameThem() {
        get("/v1/catalogs/{c}/databases", "no_such_catalog").statusCode(404).contentType(Sql.PROBLEM)
                .body("type", equalTo("/problems/not-found")).body("detail", containsString("No catalog 'no_such_catalog'"));
        get("/v1/catalogs/{c}/databases/default/tables", "no_such_catalog").statusCode(404)
                .body("detail", containsString("No catalog 'no_such_catalog'"));
        get("/v1/catalogs/{c}/databases/default/tables/x", "no_such_catalog").statusCode(404)
                .body("detail", containsString("No catalog 'no_such_catalog'"));
        get(DATABASES + "/{db}/tables", "no_such_db_" + RUN).statusCode(404)
                .body("detail", equalTo("No database 'no_such_db_" + RUN + "' in catalog 'spark_catalog'"));
        get(DATABASES + "/{db}/functions", "no_such_db_" + RUN).statusCode(404)
                .body("detail", containsString("No database 'no_such_db_" + RUN + "'"));
        get(DATABASES + "/{db}/tables/{t}", "no_such_db_" + RUN, "sales").statusCode(404)
                .body("detail", containsString("No database 'no_such_db_" + RUN + "'"));
        get(DATABASES + "/{db}/tables/{t}", DB, "no_such_table").statusCode(404)
                .body("detail", equalTo("No table or view 'no_such_table' in database '" + DB + "' of catalog 'spark_catalog'"));
        // A table of another database is not found under this one.
        get(DATABASES + "/{db}/tables/{t}", PAGED_DB, "sales").statusCode(404);
    }

    @Test
    void aStatelessRequestsTempViewDoesNotLeakIntoListings() {
        String view = "leak_" + RUN;
        sql("CREATE TEMP VIEW " + view + " AS SELECT 1 AS one");
        get(DATABASES + "/default/tables?like={like}", view).statusCode(200).body("tables", empty());
        get(DATABASES + "/default/tables/{t}", view).statusCode(404);
        Sql.problem(400, "SELECT * FROM " + view).body("errorClass", equalTo("TABLE_OR_VIEW_NOT_FOUND"));
    }

    @Test
    void everyOperationIsDocumented() {
        var spec = given().accept("application/json").when().get("/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        String base = "paths.'/v1/catalogs/{catalog}/databases/{database}";
        assertEquals("listCatalogs", spec.getString("paths.'/v1/catalogs'.get.operationId"));
        assertEquals("listDatabases", spec.getString("paths.'/v1/catalogs/{catalog}/databases'.get.operationId"));
        assertEquals("listTables", spec.getString(base + "/tables'.get.operationId"));
        assertEquals("getTable", spec.getString(base + "/tables/{table}'.get.operationId"));
        assertEquals("listFunctions", spec.getString(base + "/functions'.get.operationId"));
        assertTrue(spec.getMap(base + "/tables/{table}'.get.responses.'404'.content").containsKey(Sql.PROBLEM));
        assertTrue(spec.getMap("components.schemas").containsKey("TableDetail"));
        // Every catalog operation joins a named session like the query endpoints: the header once, and its 410.
        for (String path : List.of("paths.'/v1/catalogs'", base + "/tables'", base + "/tables/{table}'", base + "/functions'")) {
            assertEquals(List.of("X-Session-Id"), spec.getList(path + ".get.parameters.findAll { it.in == 'header' }.name"), path);
            assertTrue(spec.getMap(path + ".get.responses").containsKey("410"), path);
        }
        // The JSON names, not the names Jackson would give is-accessors.
        assertTrue(spec.getMap("components.schemas.Column.properties").keySet()
                .containsAll(Set.of("isPartition", "isBucket", "isCluster")));
    }

    @Test
    void aSessionsTemporaryViewsAndFunctionsAreListedInThatSessionOnly() {
        String session = given().post("/v1/sessions").then().statusCode(201).extract().path("sessionId");
        try {
            String view = "tv_" + RUN;
            String function = "tf_" + RUN;
            given().header("X-Session-Id", session).contentType("text/plain")
                    .body("CREATE TEMP VIEW " + view + " AS SELECT 1 AS x").post("/v1/sql").then().statusCode(200);
            given().header("X-Session-Id", session).contentType("text/plain")
                    .body("CREATE TEMPORARY FUNCTION " + function + "(x INT) RETURNS INT RETURN x * 2")
                    .post("/v1/sql").then().statusCode(200);

            given().header("X-Session-Id", session).get(DATABASES + "/{db}/tables", DB).then().statusCode(200)
                    .body("tables.find { it.name == '" + view + "' }.isTemporary", equalTo(true))
                    .body("tables.name", hasItem("sales"));
            given().header("X-Session-Id", session).get(DATABASES + "/{db}/tables/{t}", DB, view).then().statusCode(200)
                    .body("isTemporary", equalTo(true)).body("columns.name", contains("x"));
            given().header("X-Session-Id", session).get(DATABASES + "/{db}/functions?like={like}", DB, function)
                    .then().statusCode(200).body("functions.name", contains(function))
                    .body("functions[0].isTemporary", equalTo(true));

            // Stateless requests and another session never see them.
            String other = given().post("/v1/sessions").then().statusCode(201).extract().path("sessionId");
            try {
                for (var request : List.of(given(), given().header("X-Session-Id", other))) {
                    request.get(DATABASES + "/{db}/tables", DB).then().statusCode(200)
                            .body("tables.name", not(hasItem(view)));
                }
                get(DATABASES + "/{db}/tables/{t}", DB, view).statusCode(404).contentType(Sql.PROBLEM);
                get(DATABASES + "/{db}/functions?like={like}", DB, function).statusCode(200).body("functions", empty());
            } finally {
                given().delete("/v1/sessions/" + other).then().statusCode(204);
            }
        } finally {
            given().delete("/v1/sessions/" + session).then().statusCode(204);
        }
        // A deleted (or unknown) session is a 404 on every catalog operation, as on the query endpoints.
        for (String path : List.of("/v1/catalogs", DATABASES, DATABASES + "/" + DB + "/tables")) {
            given().header("X-Session-Id", session).get(path).then().statusCode(404).contentType(Sql.PROBLEM)
                    .body("detail", containsString("session"));
        }
    }
}
