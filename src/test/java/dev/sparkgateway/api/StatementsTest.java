package dev.sparkgateway.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/** Commands run eagerly and return rows like queries; none of their session state leaks. */
@QuarkusTest
class StatementsTest {

    private static ValidatableResponse sql(String sql) {
        return given().contentType(ContentType.TEXT).body(sql).when().post("/v1/sql").then();
    }

    @Test
    void ddlInsertSelect() {
        String table = "t_" + UUID.randomUUID().toString().replace("-", "");
        sql("CREATE TABLE " + table + " (id INT, name STRING) USING parquet").statusCode(200).body("rowCount", equalTo(0));
        sql("INSERT INTO " + table + " VALUES (1, 'one'), (2, 'two')").statusCode(200);
        sql("INSERT INTO " + table + " SELECT 3, 'three'").statusCode(200);
        sql("SELECT id, name FROM " + table + " ORDER BY id").statusCode(200)
                .body("rowCount", equalTo(3))
                .body("rows", equalTo(List.of(List.of(1, "one"), List.of(2, "two"), List.of(3, "three"))));
        sql("SHOW TABLES").statusCode(200).body("schema.name", hasItem("tableName")).body("rows.collect { it[1] }", hasItem(table));
        sql("DESCRIBE TABLE " + table).statusCode(200).body("schema[0].name", equalTo("col_name"))
                .body("rows[0]", equalTo(java.util.Arrays.asList("id", "int", null)));
        sql("DROP TABLE " + table).statusCode(200);
        sql("SELECT * FROM " + table).statusCode(400).body("errorClass", equalTo("TABLE_OR_VIEW_NOT_FOUND"));
    }

    @Test
    void explainReturnsThePlanAsRows() {
        sql("EXPLAIN SELECT id FROM range(3)").statusCode(200).body("schema[0].name", equalTo("plan"))
                .body("rows[0][0]", startsWith("== Physical Plan =="));
    }

    @Test
    void setDoesNotLeakIntoLaterRequests() {
        for (int i = 0; i < 3; i++) {
            sql("SET spark.sql.shuffle.partitions=17").statusCode(200).body("rows[0]", equalTo(List.of("spark.sql.shuffle.partitions", "17")));
            sql("SET spark.sql.shuffle.partitions").statusCode(200).body("rows[0][1]", equalTo("2"));
        }
    }

    @Test
    void tempViewDoesNotLeakIntoLaterRequests() {
        for (int i = 0; i < 3; i++) {
            sql("CREATE OR REPLACE TEMP VIEW leak_probe AS SELECT 42 AS answer").statusCode(200);
            sql("SELECT * FROM leak_probe").statusCode(400).body("errorClass", equalTo("TABLE_OR_VIEW_NOT_FOUND"))
                    .body("sqlState", equalTo("42P01"));
        }
    }

    @Test
    void useDatabaseDoesNotLeak() {
        String db = "db_" + UUID.randomUUID().toString().replace("-", "");
        sql("CREATE DATABASE " + db).statusCode(200);
        sql("USE " + db).statusCode(200);
        sql("SELECT current_database()").statusCode(200).body("rows[0][0]", equalTo("default"));
        sql("DROP DATABASE " + db).statusCode(200);
    }
}
