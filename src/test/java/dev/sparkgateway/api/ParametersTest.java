package dev.sparkgateway.api;

import dev.sparkgateway.testing.Sql;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;

/** Parameters are bound as Spark literals, never spliced into the SQL text. */
@QuarkusTest
class ParametersTest {

    @Test
    void namedParameters() {
        Sql.json("{\"sql\":\"SELECT id FROM range(10) WHERE id >= :min AND id < :max ORDER BY id\","
                + "\"parameters\":{\"min\":3,\"max\":6}}")
                .statusCode(200).body("rowCount", equalTo(3)).body("rows[0][0]", equalTo(3)).body("rows[2][0]", equalTo(5));
    }

    @Test
    void positionalParameters() {
        Sql.json("{\"sql\":\"SELECT ? AS a, ? AS b, ? AS c\",\"parameters\":[\"x\", 2, true]}")
                .statusCode(200).body("rows[0][0]", equalTo("x")).body("rows[0][1]", equalTo(2))
                .body("rows[0][2]", equalTo(true)).body("schema[1].type", equalTo("int"));
    }

    @Test
    void typedParametersKeepTheirType() {
        Sql.json("{\"sql\":\"SELECT :price * 2 AS doubled, :day + 1 AS next_day\",\"parameters\":{"
                + "\"price\":{\"value\":\"12.34\",\"type\":\"DECIMAL(10,2)\"},"
                + "\"day\":{\"value\":\"2024-02-28\",\"type\":\"DATE\"}}}")
                .statusCode(200)
                .body("schema[0].type", equalTo("decimal(12,2)")).body("rows[0][0]", equalTo("24.68"))
                .body("schema[1].type", equalTo("date")).body("rows[0][1]", equalTo("2024-02-29"));
    }

    @Test
    void valuesAreNeverSplicedIntoSql() {
        // A classic injection string stays a plain string value.
        Sql.json("{\"sql\":\"SELECT :name AS name\",\"parameters\":{\"name\":\"x' OR '1'='1\"}}")
                .statusCode(200).body("rows[0][0]", equalTo("x' OR '1'='1"));
    }

    @Test
    void untypedArrayParameter() {
        Sql.json("{\"sql\":\"SELECT array_contains(:ids, 2) AS has2, size(:ids) AS n\",\"parameters\":{\"ids\":[1,2,3]}}")
                .statusCode(200).body("rows[0][0]", equalTo(true)).body("rows[0][1]", equalTo(3));
    }

    @Test
    void badTypedValueNamesThePointer() {
        Sql.jsonProblem(400, "{\"sql\":\"SELECT :d\",\"parameters\":{\"d\":{\"value\":\"31/01/2024\",\"type\":\"DATE\"}}}")
                .body("pointer", equalTo("/parameters/d/value")).body("type", equalTo("/problems/invalid-request"));
        Sql.json("{\"sql\":\"SELECT :d\",\"parameters\":{\"d\":{\"value\":1,\"type\":\"UUID\"}}}")
                .statusCode(400).body("pointer", equalTo("/parameters/d/type"));
    }

    @Test
    void missingParameterIsSparksError() {
        Sql.jsonProblem(400, "{\"sql\":\"SELECT :absent AS x\",\"parameters\":{\"other\":1}}")
                .body("errorClass", equalTo("UNBOUND_SQL_PARAMETER")).body("sqlState", equalTo("42P02"));
    }
}
