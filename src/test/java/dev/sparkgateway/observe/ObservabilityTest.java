package dev.sparkgateway.observe;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request ids, metrics, OpenAPI and health, each through the real HTTP stack. */
@QuarkusTest
class ObservabilityTest {

    @Test
    void requestIdIsEchoedAndGeneratedWhenMissing() {
        given().header("X-Request-Id", "abc-123").contentType(ContentType.TEXT).body("SELECT 1").when().post("/v1/sql")
                .then().statusCode(200).header("X-Request-Id", "abc-123");
        given().contentType(ContentType.TEXT).body("SELECT 1").when().post("/v1/sql")
                .then().statusCode(200).header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        given().header("X-Request-Id", "bad id with spaces").contentType(ContentType.TEXT).body("SELECT 1").when().post("/v1/sql")
                .then().statusCode(200).header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void problemsCarryTheRequestId() {
        given().header("X-Request-Id", "req-42").contentType(ContentType.TEXT).body("SELEC 1").when().post("/v1/sql")
                .then().statusCode(400).header("X-Request-Id", "req-42").body("requestId", equalTo("req-42"));
    }

    @Test
    void metricsMoveAfterAQuery() {
        double rowsBefore = metric("gateway_result_rows_total", "format=\"csv\"");
        double errorsBefore = metric("gateway_spark_errors_total", "error_class=\"DIVIDE_BY_ZERO\"");
        given().contentType(ContentType.TEXT).accept("text/csv").body("SELECT id FROM range(25)").when().post("/v1/sql")
                .then().statusCode(200);
        given().contentType(ContentType.TEXT).body("SELECT 1/0").when().post("/v1/sql").then().statusCode(400);
        assertEquals(rowsBefore + 25, metric("gateway_result_rows_total", "format=\"csv\""));
        assertEquals(errorsBefore + 1, metric("gateway_spark_errors_total", "error_class=\"DIVIDE_BY_ZERO\""));
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("gateway_statement_duration_seconds_bucket{endpoint=\"/v1/sql\",format=\"csv\""), "latency histogram");
        assertTrue(metrics.contains("gateway_result_bytes_sum{endpoint=\"/v1/sql\",format=\"csv\""), "bytes");
        assertTrue(metrics.contains("gateway_pool_sessions{endpoint=\"default\",state=\"idle\"}"), "pool gauge");
        assertTrue(metrics.contains("gateway_pool_waiting"), "waiters gauge");
        assertTrue(metrics.contains("http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",status=\"200\",uri=\"/v1/sql\"}"),
                "requests by endpoint and status");
    }

    @Test
    void openApiDocumentsEveryEndpointWithItsMediaTypes() {
        JsonPath spec = given().accept("application/json").when().get("/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, Object> sql = spec.getMap("paths.'/v1/sql'.post");
        assertTrue(sql != null, "POST /v1/sql is documented");
        Map<String, Object> ok = spec.getMap("paths.'/v1/sql'.post.responses.'200'.content");
        assertEquals(List.of("application/json", "application/x-ndjson", "text/csv", "application/vnd.apache.arrow.stream")
                .stream().sorted().toList(), ok.keySet().stream().sorted().toList());
        Map<String, Object> request = spec.getMap("paths.'/v1/sql'.post.requestBody.content");
        assertTrue(request.containsKey("application/json") && request.containsKey("text/plain"), request.toString());
        for (String status : List.of("400", "406", "413", "415", "503", "504")) {
            Map<String, Object> problem = spec.getMap("paths.'/v1/sql'.post.responses.'" + status + "'.content");
            assertTrue(problem.containsKey("application/problem+json"), status);
        }
        for (String path : List.of("/v1/dataframe", "/v1/plan")) {
            assertTrue(spec.getMap("paths.'" + path + "'.post.responses.'200'.content").containsKey("application/json"), path);
            for (String status : List.of("400", "413", "415", "503")) {
                assertTrue(spec.getMap("paths.'" + path + "'.post.responses.'" + status + "'.content")
                        .containsKey("application/problem+json"), path + " " + status);
            }
        }
        for (String path : List.of("/v1/sql/schema", "/v1/sql/explain", "/v1/dataframe/schema", "/v1/dataframe/explain",
                "/v1/dataframe/plan", "/v1/plan/schema", "/v1/plan/explain")) {
            assertTrue(spec.getMap("paths.'" + path + "'.post") != null, path + " is documented");
        }
        assertTrue(spec.getMap("components.schemas").containsKey("Problem"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void readinessTalksToSparkAndLivenessIsUp() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'spark-connect' }.data.sparkVersion", equalTo("4.0.0"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static double metric(String name, String label) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(l -> l.startsWith(name + "{") && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
