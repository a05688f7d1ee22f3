package dev.sparkgateway.api;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tables the DataFrame tests read, and the spec-versus-SQL comparison they all make. */
final class DataFrameFixtures {

    static final String PEOPLE = "df_people";
    static final String DEPTS = "df_depts";
    private static boolean created;

    private DataFrameFixtures() {
    }

    /** Two small managed tables in the test server's warehouse, created once per test JVM. */
    static synchronized void createTables() {
        if (created) {
            return;
        }
        sql("DROP TABLE IF EXISTS " + PEOPLE);
        sql("CREATE TABLE " + PEOPLE + " USING parquet AS SELECT * FROM VALUES"
                + " (1, 'Ada', 36, 10, CAST(5200.50 AS DECIMAL(10,2))),"
                + " (2, 'Brian', 41, 20, CAST(4100.00 AS DECIMAL(10,2))),"
                + " (3, 'Chen', NULL, 10, CAST(3900.25 AS DECIMAL(10,2))),"
                + " (4, 'Dana', 29, NULL, CAST(3100.00 AS DECIMAL(10,2))),"
                + " (5, 'Eve', 41, 30, NULL),"
                + " (6, 'Farid', 23, 20, CAST(2800.75 AS DECIMAL(10,2)))"
                + " AS t(id, name, age, dept_id, salary)");
        sql("DROP TABLE IF EXISTS " + DEPTS);
        sql("CREATE TABLE " + DEPTS + " USING parquet AS SELECT * FROM VALUES"
                + " (10, 'Engineering'), (20, 'Sales'), (40, 'Legal') AS t(dept_id, dept)");
        created = true;
    }

    static void sql(String statement) {
        given().contentType(ContentType.TEXT).body(statement).when().post("/v1/sql").then().statusCode(200);
    }

    static JsonPath runSql(String sql) {
        return given().contentType(ContentType.TEXT).body(sql).when().post("/v1/sql")
                .then().statusCode(200).extract().jsonPath();
    }

    static JsonPath runSpec(String spec) {
        return given().contentType(ContentType.JSON).body(spec).when().post("/v1/dataframe")
                .then().statusCode(200).contentType("application/json").extract().jsonPath();
    }

    /** Same columns (names, types, nullability) and the same rows; {@code ordered} also compares row order. */
    static void assertSameResult(String spec, String sql, boolean ordered) {
        JsonPath expected = runSql(sql);
        JsonPath actual = runSpec(spec);
        assertEquals(expected.getList("schema"), actual.getList("schema"), "schema of " + spec);
        List<List<Object>> expectedRows = rows(expected, ordered);
        assertEquals(expectedRows, rows(actual, ordered), "rows of " + spec);
        assertEquals(expectedRows.size(), actual.getInt("rowCount"));
    }

    private static List<List<Object>> rows(JsonPath result, boolean ordered) {
        List<List<Object>> rows = new ArrayList<>(result.getList("rows"));
        if (!ordered) {
            rows.sort(Comparator.comparing(Object::toString));
        }
        return rows;
    }

    static Map<String, Object> column(String name, String type, boolean nullable) {
        return Map.of("name", name, "type", type, "nullable", nullable);
    }
}
