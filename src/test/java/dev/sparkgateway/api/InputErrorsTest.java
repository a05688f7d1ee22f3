package dev.sparkgateway.api;

import dev.sparkgateway.testing.RawHttp;
import dev.sparkgateway.testing.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static dev.sparkgateway.testing.Sql.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests that once gave 5xx (issue #18): odd media types, Spark errors too large for gRPC
 * trailers, invalid ranges. Each must be a 4xx problem naming what was wrong.
 */
@QuarkusTest
class InputErrorsTest {

    static final String[] POST_ENDPOINTS = {"/v1/sql", "/v1/sql/schema", "/v1/sql/explain", "/v1/dataframe",
        "/v1/dataframe/schema", "/v1/dataframe/explain", "/v1/dataframe/plan", "/v1/plan", "/v1/plan/schema",
        "/v1/plan/explain", "/v1/statements"};

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/sql", "/v1/sql/schema", "/v1/sql/explain", "/v1/dataframe", "/v1/dataframe/schema",
        "/v1/dataframe/explain", "/v1/dataframe/plan", "/v1/plan", "/v1/plan/schema", "/v1/plan/explain", "/v1/statements"})
    void emptyContentTypeIs415(String endpoint) throws Exception {
        RawHttp.Response response = post(endpoint, "Content-Type: \r\n", "{\"sql\": \"SELECT 1\"}");
        assertEquals(415, response.status(), response.head() + "\n" + response.body());
        assertTrue(response.head().toLowerCase().contains("content-type: " + PROBLEM), response.head());
        assertTrue(response.body().contains("unsupported-media-type"), response.body());
        assertTrue(response.body().contains("Content-Type"), response.body());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"garbage", "/", "application/", "/json", "a/b/c", ";;;", "application/xml", "\u00e9/\u00e9"})
    void junkMediaTypeIs415(String contentType) throws Exception {
        for (String endpoint : POST_ENDPOINTS) {
            RawHttp.Response response = post(endpoint, "Content-Type: " + contentType + "\r\n", "SELECT 1");
            assertEquals(415, response.status(), endpoint + " " + contentType + ": " + response.head() + "\n" + response.body());
            assertTrue(response.body().contains("unsupported-media-type"), response.body());
        }
    }

    @Test
    void acceptOfOnlySeparatorsMeansNoPreference() {
        // Found by GatewayFuzzTest: "Accept: ;;" was a 500.
        given().contentType(ContentType.TEXT).accept(";;").body("SELECT 1 AS one").when().post("/v1/sql")
                .then().statusCode(200).contentType(ContentType.JSON).body("rows[0][0]", equalTo(1));
    }

    @Test
    void textPlainBodyStartingWithABraceIsJson() {
        // What Node's fetch sends for a JSON string body without a Content-Type.
        given().contentType("text/plain;charset=UTF-8").body("  {\"sql\": \"SELECT 7 AS seven\"}").when().post("/v1/sql")
                .then().statusCode(200).body("rows[0][0]", equalTo(7));
        given().contentType("text/plain;charset=UTF-8").body("{\"source\": {\"range\": 3}}").when().post("/v1/dataframe")
                .then().statusCode(200).body("rowCount", equalTo(3));
    }

    /** Spark errors too large for gRPC trailers: a long non-ASCII syntax error, identifier, or ASCII message. */
    static Stream<Arguments> longSparkErrors() {
        return Stream.of(
                Arguments.of("SELECT 1 + " + "\u20ac".repeat(600), "PARSE_SYNTAX_ERROR", "42601", ""),
                Arguments.of("SELECT * FROM `" + "\u00e9".repeat(1000) + "`", "TABLE_OR_VIEW_NOT_FOUND", "42P01", ""),
                Arguments.of("SELECT * FROM t" + "x".repeat(3000), "TABLE_OR_VIEW_NOT_FOUND", "42P01", "txxx"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("longSparkErrors")
    void longSparkErrorKeepsItsErrorClass(String sql, String errorClass, String sqlState, String inDetail) {
        Sql.problem(400, sql)
                .body("type", equalTo("/problems/spark-error"))
                .body("errorClass", equalTo(errorClass))
                .body("sqlState", equalTo(sqlState))
                .body("detail", containsString(inDetail))
                .body("detail.length()", lessThan(4200));
    }

    @Test
    void rangeWithStepZeroIs400() {
        given().contentType(ContentType.JSON).body("{\"root\": {\"range\": {\"end\": \"5\", \"step\": \"0\"}}}").when().post("/v1/plan")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("step"))
                .body("detail", not(containsString("\tat ")));
        given().contentType(ContentType.JSON).body("{\"range\": {\"end\": \"5\"}}").when().post("/v1/plan/schema")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("step"));
        Sql.problem(400, "SELECT * FROM range(0, 10, 0)");
        given().contentType(ContentType.JSON).body("{\"source\": {\"range\": {\"end\": 5, \"step\": 0}}}").when().post("/v1/dataframe")
                .then().statusCode(400).contentType(PROBLEM).body("pointer", equalTo("/source/range/step"));
    }

    @Test
    void sparkInternalErrorsCarryNoStackText() {
        // A task that fails without an error class: Spark's message holds the executor's and the driver's stack traces.
        String body = given().contentType(ContentType.TEXT).body("SELECT reflect('java.lang.Integer', 'parseInt', 'x')")
                .when().post("/v1/sql")
                .then().statusCode(502).contentType(PROBLEM).body("type", equalTo("/problems/spark-internal"))
                .body("detail", containsString("InvocationTargetException"))
                .extract().asString();
        assertFalse(body.contains("\\tat ") || body.contains("Driver stacktrace") || body.matches("(?s).*at [\\w.$]+\\([\\w$]+\\.(java|scala):\\d+\\).*"),
                body);
    }

    @Test
    void invalidPlanArgumentsAre400() {
        given().contentType(ContentType.JSON).body("{\"root\": {\"range\": {\"end\": \"5\", \"step\": \"1\", \"numPartitions\": -1}}}")
                .when().post("/v1/plan")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("partitions"));
        given().contentType(ContentType.JSON).body("{\"root\": {\"project\": {\"expressions\": [{\"literal\": {}}]}}}")
                .when().post("/v1/plan")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("Literal"));
    }

    private static RawHttp.Response post(String endpoint, String contentTypeHeader, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + endpoint + " HTTP/1.1\r\nHost: localhost\r\n" + contentTypeHeader
                + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
        return RawHttp.exchange(RestAssured.port, head.getBytes(StandardCharsets.UTF_8), bytes);
    }
}
