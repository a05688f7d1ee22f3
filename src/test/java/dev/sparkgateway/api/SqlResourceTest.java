package dev.sparkgateway.api;

import dev.sparkgateway.testing.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SqlResourceTest {

    @Test
    void selectOneAsDocumentedJson() {
        String body = Sql.json("{\"sql\":\"SELECT 1 AS one\"}")
                .statusCode(200).contentType("application/json")
                .extract().asString();
        assertEquals("{\"schema\":[{\"name\":\"one\",\"type\":\"int\",\"nullable\":false}],\"rows\":[[1]],"
                + "\"rowCount\":1,\"truncated\":false}", body);
    }

    /** What `curl -d '...'` sends: application/x-www-form-urlencoded, whatever the body is. */
    private static ValidatableResponse curlDefault(String body) {
        return given().contentType("application/x-www-form-urlencoded").body(body).when().post("/v1/sql").then();
    }

    @Test
    void curlDefaultFormContentTypeIsReadAsJson() {
        curlDefault("{\"sql\":\"SELECT 2 AS two\"}").statusCode(200).body("rows[0][0]", equalTo(2));
    }

    @Test
    void curlDefaultFormContentTypeWithSqlText() {
        curlDefault("SELECT 'a&b=c' AS s").statusCode(200).body("rows[0][0]", equalTo("a&b=c"));
    }

    @Test
    void limitZeroReturnsTheSchemaOnly() {
        Sql.json("{\"sql\":\"SELECT id FROM range(10)\",\"limit\":0}")
                .statusCode(200).body("rowCount", equalTo(0)).body("truncated", equalTo(true))
                .body("schema[0].name", equalTo("id"));
    }

    @Test
    void plainTextBodyIsTheSql() {
        Sql.text("SELECT 'a' AS s, 3 AS n")
                .statusCode(200).body("schema[0].type", equalTo("string")).body("rows[0][0]", equalTo("a"))
                .body("rows[0][1]", equalTo(3));
    }

    @Test
    void ndjson() {
        String body = Sql.json("{\"sql\":\"SELECT id, CAST(id AS STRING) AS s FROM range(3)\"}", "application/x-ndjson")
                .statusCode(200).contentType(startsWith("application/x-ndjson")).extract().asString();
        assertEquals("{\"schema\":[{\"name\":\"id\",\"type\":\"bigint\",\"nullable\":false},"
                + "{\"name\":\"s\",\"type\":\"string\",\"nullable\":false}]}\n"
                + "[0,\"0\"]\n[1,\"1\"]\n[2,\"2\"]\n{\"rowCount\":3,\"truncated\":false}\n", body);
    }

    @Test
    void csv() {
        String body = Sql.json("{\"sql\":\"SELECT 1 AS one, 'a,b' AS quoted, CAST(NULL AS STRING) AS missing, '' AS empty\"}", "text/csv")
                .statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        assertEquals("one,quoted,missing,empty\r\n1,\"a,b\",,\"\"\r\n", body);
    }

    @Test
    void arrowStreamReadsBackWithArrowJava() throws Exception {
        byte[] body = Sql.json("{\"sql\":\"SELECT 1 AS one, id, CAST(id AS STRING) AS s FROM range(3)\"}", "application/vnd.apache.arrow.stream")
                .statusCode(200).contentType("application/vnd.apache.arrow.stream").extract().asByteArray();
        try (RootAllocator allocator = new RootAllocator();
             ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(body), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertEquals(3, root.getSchema().getFields().size());
            int rows = 0;
            while (reader.loadNextBatch()) {
                for (int i = 0; i < root.getRowCount(); i++, rows++) {
                    assertEquals(1, ((IntVector) root.getVector("one")).get(i));
                    assertEquals(rows, ((BigIntVector) root.getVector("id")).get(i));
                    assertEquals(Integer.toString(rows), new String(((VarCharVector) root.getVector("s")).get(i)));
                }
            }
            assertEquals(3, rows);
        }
    }

    @Test
    void emptyArrowResultHasTheSchemaOfAFullOne() throws Exception {
        String select = "SELECT id, CAST(id AS DECIMAL(12,3)) AS amount, CAST(id AS TIMESTAMP) AS ts,"
                + " CAST(NULL AS TIMESTAMP_NTZ) AS ntz, DATE'2024-01-31' AS d, INTERVAL '1' YEAR AS ym,"
                + " INTERVAL '2' HOUR AS dt, array(CAST(id AS STRING), NULL) AS tags, map('k', id) AS m,"
                + " named_struct('a', CAST(id AS INT), 'b', 'x') AS st, CAST(NULL AS BINARY) AS bin FROM range(3)";
        assertEquals(arrowSchema(select), arrowSchema(select + " WHERE id < 0"));
        assertEquals(arrowSchema(select), arrowSchema(select + " LIMIT 0"));
    }

    private static Schema arrowSchema(String sql) throws Exception {
        byte[] body = given().contentType(ContentType.TEXT).accept("application/vnd.apache.arrow.stream").body(sql)
                .when().post("/v1/sql").then().statusCode(200).extract().asByteArray();
        try (RootAllocator allocator = new RootAllocator();
             ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(body), allocator)) {
            return reader.getVectorSchemaRoot().getSchema();
        }
    }

    @Test
    void formatQueryParameterOverridesAccept() {
        Response response = given().contentType(ContentType.TEXT).accept("application/json").queryParam("format", "csv")
                .body("SELECT 7 AS seven").when().post("/v1/sql");
        assertEquals(200, response.statusCode());
        assertEquals("seven\r\n7\r\n", response.asString());
    }

    @Test
    void limitCapsRowsAndSetsTruncated() {
        Sql.json("{\"sql\":\"SELECT id FROM range(100)\",\"limit\":5}")
                .statusCode(200).body("rowCount", equalTo(5)).body("truncated", equalTo(true))
                .body("rows.size()", equalTo(5)).body("rows[4][0]", equalTo(4));
        Sql.json("{\"sql\":\"SELECT id FROM range(5)\",\"limit\":5}")
                .statusCode(200).body("rowCount", equalTo(5)).body("truncated", equalTo(false));
        given().contentType(ContentType.TEXT).queryParam("limit", 2).body("SELECT id FROM range(10)")
                .when().post("/v1/sql")
                .then().statusCode(200).body("rowCount", equalTo(2)).body("truncated", equalTo(true));
    }

    @Test
    void operationIdHeaderNamesTheSparkOperation() {
        String id = Sql.text("SELECT 1").statusCode(200).extract().header("X-Spark-Operation-Id");
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
    }
}
