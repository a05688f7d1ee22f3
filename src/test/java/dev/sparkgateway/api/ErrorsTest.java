package dev.sparkgateway.api;

import dev.sparkgateway.testing.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.sparkgateway.testing.Sql.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Every error a caller can cause: a 4xx problem+json naming what was wrong, never a stack trace. */
@QuarkusTest
class ErrorsTest {

    @Test
    void syntaxErrorCarriesSparkErrorClassAndSqlState() {
        Sql.problem(400, "SELEC 1")
                .body("type", equalTo("/problems/spark-error"))
                .body("status", equalTo(400))
                .body("errorClass", equalTo("PARSE_SYNTAX_ERROR"))
                .body("sqlState", equalTo("42601"))
                .body("detail", containsString("SELEC"))
                .body("instance", equalTo("/v1/sql"))
                .body("$", not(org.hamcrest.Matchers.hasKey("stackTrace")));
    }

    @Test
    void unknownTableAndColumn() {
        Sql.problem(400, "SELECT * FROM no_such_table")
                .body("errorClass", equalTo("TABLE_OR_VIEW_NOT_FOUND")).body("sqlState", equalTo("42P01"))
                .body("messageParameters.relationName", containsString("no_such_table"));
        Sql.text("SELECT nope FROM range(1)")
                .statusCode(400).body("errorClass", equalTo("UNRESOLVED_COLUMN.WITH_SUGGESTION"))
                .body("sqlState", equalTo("42703"));
    }

    @Test
    void runtimeErrorBeforeTheFirstRow() {
        Sql.problem(400, "SELECT 1 / 0 AS boom")
                .body("errorClass", equalTo("DIVIDE_BY_ZERO")).body("sqlState", equalTo("22012"));
    }

    @Test
    void conflictWhenTableExists() {
        String table = "exists_" + System.nanoTime();
        given().contentType(ContentType.TEXT).body("CREATE TABLE " + table + " (a INT) USING parquet").post("/v1/sql").then().statusCode(200);
        given().contentType(ContentType.TEXT).body("CREATE TABLE " + table + " (a INT) USING parquet").post("/v1/sql")
                .then().statusCode(409).contentType(PROBLEM).body("errorClass", equalTo("TABLE_OR_VIEW_ALREADY_EXISTS"));
        given().contentType(ContentType.TEXT).body("DROP TABLE " + table).post("/v1/sql").then().statusCode(200);
    }

    @Test
    void malformedJsonNamesTheProblem() {
        Sql.jsonProblem(400, "{\"sql\": \"SELECT 1\"")
                .body("type", equalTo("/problems/invalid-request"))
                .body("detail", containsString("malformed JSON"));
    }

    @Test
    void unknownFieldIsRejectedByName() {
        Sql.jsonProblem(400, "{\"sql\": \"SELECT 1\", \"paramters\": {}}")
                .body("detail", containsString("paramters")).body("pointer", equalTo("/paramters"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"sql\": \"SELECT 1\", \"limit\": \"ten\"} | /limit",
            "{\"parameters\": {}}                    | /sql",
            "{\"sql\": \"   \"}                       | /sql",
            "{\"sql\": \"SELECT 1\", \"limit\": -1}    | /limit"})
    void wrongFieldTypeAndMissingSqlPointAtTheField(String body, String pointer) {
        Sql.jsonProblem(400, body).body("pointer", equalTo(pointer));
    }

    @Test
    void aBodyThatIsNoObjectAndAnEmptySqlText() {
        Sql.jsonProblem(400, "[1,2]");
        Sql.problem(400, "").body("pointer", equalTo("/sql"));
    }

    @Test
    void unacceptableResultType() {
        given().contentType(ContentType.TEXT).accept("application/xml").body("SELECT 1").when().post("/v1/sql")
                .then().statusCode(406).contentType(PROBLEM).body("detail", containsString("application/vnd.apache.arrow.stream"));
        given().contentType(ContentType.TEXT).queryParam("format", "parquet").body("SELECT 1").when().post("/v1/sql")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("parquet"));
    }

    @Test
    void unsupportedRequestType() {
        given().contentType("application/xml").body("<sql>SELECT 1</sql>").when().post("/v1/sql")
                .then().statusCode(415).contentType(PROBLEM).body("type", equalTo("/problems/unsupported-media-type"));
    }

    @Test
    void bodyOverTheLimit() {
        String big = "SELECT '" + "x".repeat(1024 * 1024 + 10) + "'";
        Sql.problem(413, big).body("detail", containsString("gateway.http.max-body-size"));
    }

    @Test
    void unknownPathAndMethod() {
        given().when().get("/v1/nothing-here").then().statusCode(404).contentType(PROBLEM);
        given().when().get("/v1/sql").then().statusCode(405).contentType(PROBLEM);
    }

    @Test
    void problemsHaveNoStackTraceAndAnErrorIdWhenSparkGaveOne() {
        Sql.problem(400, "SELECT raise_error('custom failure')")
                .body("detail", containsString("custom failure"))
                .body("errorClass", notNullValue())
                .body("trace", nullValue());
    }
}
