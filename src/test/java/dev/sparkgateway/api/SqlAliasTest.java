package dev.sparkgateway.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code POST /sql} answers exactly as {@code POST /v1/sql}: bodies, formats and problems. */
@QuarkusTest
class SqlAliasTest {

    /** What {@code curl -d '...'} sends: form-urlencoded, whatever the body is. */
    private static Response curl(String path, String body) {
        return given().contentType("application/x-www-form-urlencoded").body(body).when().post(path);
    }

    @Test
    void curlSelectOneLikeV1Sql() {
        Response alias = curl("/sql", "SELECT 1");
        Response v1 = curl("/v1/sql", "SELECT 1");
        assertEquals(200, alias.statusCode());
        assertEquals(v1.contentType(), alias.contentType());
        assertEquals(v1.asString(), alias.asString());
        assertEquals("{\"schema\":[{\"name\":\"1\",\"type\":\"int\",\"nullable\":false}],\"rows\":[[1]],\"rowCount\":1,"
                + "\"truncated\":false}", alias.asString());
    }

    @Test
    void acceptAndFormatAreNegotiatedAsForV1Sql() {
        String sql = "{\"sql\":\"SELECT id FROM range(3)\",\"limit\":2}";
        for (String accept : new String[] {"text/csv", "application/x-ndjson"}) {
            Response alias = given().contentType(ContentType.JSON).accept(accept).body(sql).post("/sql");
            Response v1 = given().contentType(ContentType.JSON).accept(accept).body(sql).post("/v1/sql");
            assertEquals(200, alias.statusCode());
            assertEquals(v1.contentType(), alias.contentType());
            assertEquals(v1.asString(), alias.asString());
        }
        given().contentType(ContentType.TEXT).body("SELECT 1").post("/sql?format=csv").then()
                .statusCode(200).contentType(startsWith("text/csv"));
        given().contentType(ContentType.TEXT).accept("image/png").body("SELECT 1").post("/sql").then()
                .statusCode(406).body("type", equalTo("/problems/not-acceptable"));
    }

    @Test
    void aParseErrorIsTheSameProblem() {
        Map<String, Object> alias = curl("/sql", "SELEC 1").then().statusCode(400)
                .contentType("application/problem+json").extract().jsonPath().getMap("");
        Map<String, Object> v1 = curl("/v1/sql", "SELEC 1").then().statusCode(400).extract().jsonPath().getMap("");
        assertEquals("/problems/spark-error", alias.get("type"));
        assertEquals("PARSE_SYNTAX_ERROR", alias.get("errorClass"));
        assertEquals("/sql", alias.get("instance"));
        for (String field : new String[] {"type", "title", "status", "detail", "errorClass", "sqlState", "messageParameters"}) {
            assertEquals(v1.get(field), alias.get(field), field);
        }
    }

    @Test
    void onlyPostLikeV1Sql() {
        given().when().get("/sql").then().statusCode(405).body("type", equalTo("/problems/method-not-allowed"));
    }

    @Test
    void documentedAsAnAlias() {
        given().accept("application/json").when().get("/openapi?format=json").then().statusCode(200)
                .body("paths.'/sql'.post.operationId", equalTo("runSqlAlias"))
                .body("paths.'/sql'.post.x-alias-of", equalTo("/v1/sql"))
                // Unlike the open problem pages, the alias needs credentials as /v1/sql does.
                .body("paths.'/sql'.post.responses.'401'", notNullValue())
                .body("paths.'/sql'.post.security", nullValue());
    }
}
