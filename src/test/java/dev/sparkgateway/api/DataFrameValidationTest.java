package dev.sparkgateway.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Invalid specs through HTTP: each gets 400 problem+json whose pointer names the offending value
 * and whose detail says what was expected. None reaches Spark.
 */
@QuarkusTest
class DataFrameValidationTest {

    private static final String R = "{\"source\": {\"range\": 3}";

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                Arguments.of("not an object", "[]", "", "expected a DataFrame spec"),
                Arguments.of("missing source", "{\"ops\": []}", "/source", "missing a source"),
                Arguments.of("unknown top-level field", R + ", \"opz\": []}", "/opz", "unknown field 'opz'"),
                Arguments.of("source with two keys", "{\"source\": {\"range\": 1, \"table\": \"t\"}}", "/source", "exactly one key"),
                Arguments.of("unknown source", "{\"source\": {\"tabel\": \"t\"}}", "/source/tabel", "unknown source 'tabel'"),
                Arguments.of("source not an object", "{\"source\": \"t\"}", "/source", "expected a source as an object"),
                Arguments.of("table of wrong type", "{\"source\": {\"table\": 42}}", "/source/table", "as an object, got a number"),
                Arguments.of("empty table name", "{\"source\": {\"table\": \"\"}}", "/source/table", "is empty"),
                Arguments.of("range without end", "{\"source\": {\"range\": {\"start\": 1}}}", "/source/range/end", "missing end"),
                Arguments.of("range step 0", "{\"source\": {\"range\": {\"end\": 5, \"step\": 0}}}", "/source/range/step", "step cannot be 0"),
                Arguments.of("range end as text", "{\"source\": {\"range\": {\"end\": \"5\"}}}", "/source/range/end", "whole number"),
                Arguments.of("range with 0 partitions", "{\"source\": {\"range\": {\"end\": 5, \"numPartitions\": 0}}}",
                        "/source/range/numPartitions", "between 1 and"),
                Arguments.of("values row of wrong length", "{\"source\": {\"values\": {\"schema\": \"a INT, b STRING\", \"rows\": [[1]]}}}",
                        "/source/values/rows/0", "expected 2 values"),
                Arguments.of("values cell of wrong type", "{\"source\": {\"values\": {\"schema\": \"a INT, b STRING\", \"rows\": [[1, \"x\"],"
                        + " [\"two\", \"y\"]]}}}", "/source/values/rows/1/0", "expected a number"),
                Arguments.of("values with unknown type", "{\"source\": {\"values\": {\"schema\": \"a INTEGR\", \"rows\": []}}}",
                        "/source/values/schema", "unknown or unsupported type"),
                Arguments.of("values object row with unknown column", "{\"source\": {\"values\": {\"schema\": \"a INT\", \"rows\": [{\"c\": 1}]}}}",
                        "/source/values/rows/0/c", "no column 'c'"),
                Arguments.of("values null in NOT NULL column", "{\"source\": {\"values\": {\"schema\": \"a INT NOT NULL\", \"rows\": [[null]]}}}",
                        "/source/values/rows/0/0", "NOT NULL"),
                Arguments.of("values bad date", "{\"source\": {\"values\": {\"schema\": \"d DATE\", \"rows\": [[\"31/01/2024\"]]}}}",
                        "/source/values/rows/0/0", "DATE values look like 2024-01-31"),
                Arguments.of("read without path", "{\"source\": {\"read\": {\"format\": \"parquet\"}}}", "/source/read", "missing path"),
                Arguments.of("read with path and paths", "{\"source\": {\"read\": {\"format\": \"csv\", \"path\": \"/a\", \"paths\": [\"/b\"]}}}",
                        "/source/read/paths", "either path or paths"),
                Arguments.of("read without format", "{\"source\": {\"read\": {\"path\": \"/a\"}}}", "/source/read/format", "missing the format"),
                Arguments.of("sql parameters of wrong type", "{\"source\": {\"sql\": {\"query\": \"SELECT :a\", \"parameters\": \"x\"}}}",
                        "/source/sql/parameters", "must be an object"),
                Arguments.of("ops not an array", R + ", \"ops\": {\"limit\": 1}}", "/ops", "as an array"),
                Arguments.of("unknown operation", R + ", \"ops\": [{\"limit\": 1}, {\"fitler\": \"id > 1\"}]}", "/ops/1/fitler",
                        "unknown operation 'fitler'"),
                Arguments.of("operation with two keys", R + ", \"ops\": [{\"filter\": \"id > 1\", \"limit\": 1}]}", "/ops/0", "exactly one key"),
                Arguments.of("operation as a string", R + ", \"ops\": [\"limit\"]}", "/ops/0", "expected an operation as an object"),
                Arguments.of("empty select", R + ", \"ops\": [{\"select\": []}]}", "/ops/0/select", "at least one"),
                Arguments.of("select entry of wrong type", R + ", \"ops\": [{\"select\": [\"id\", 1]}]}", "/ops/0/select/1", "SQL expression string"),
                Arguments.of("select with col and expr", R + ", \"ops\": [{\"select\": [{\"col\": \"id\", \"expr\": \"id\"}]}]}",
                        "/ops/0/select/0", "exactly one of col"),
                Arguments.of("select with unknown key", R + ", \"ops\": [{\"select\": [{\"col\": \"id\", \"alias\": \"x\"}]}]}",
                        "/ops/0/select/0/alias", "unknown field 'alias'"),
                Arguments.of("filter not a string", R + ", \"ops\": [{\"filter\": true}]}", "/ops/0/filter", "as a string"),
                Arguments.of("negative limit", R + ", \"ops\": [{\"limit\": -1}]}", "/ops/0/limit", "between 0"),
                Arguments.of("fractional limit", R + ", \"ops\": [{\"limit\": 1.5}]}", "/ops/0/limit", "whole number"),
                Arguments.of("offset past int range", R + ", \"ops\": [{\"offset\": 3000000000}]}", "/ops/0/offset", "between 0 and 2147483647"),
                Arguments.of("unknown join type", R + ", \"ops\": [{\"join\": {\"right\": " + R + "}, \"on\": [\"id\"], \"how\": \"sideways\"}}]}",
                        "/ops/0/join/how", "unknown join type 'sideways'"),
                Arguments.of("join without on", R + ", \"ops\": [{\"join\": {\"right\": " + R + "}}}]}", "/ops/0/join/on", "missing on"),
                Arguments.of("join on of wrong type", R + ", \"ops\": [{\"join\": {\"right\": " + R + "}, \"on\": 5}}]}", "/ops/0/join/on",
                        "expected on as a SQL condition"),
                Arguments.of("cross join with on", R + ", \"ops\": [{\"join\": {\"right\": " + R + "}, \"on\": \"true\", \"how\": \"cross\"}}]}",
                        "/ops/0/join/on", "cross join has no on"),
                Arguments.of("join without right", R + ", \"ops\": [{\"join\": {\"on\": [\"id\"]}}]}", "/ops/0/join/right",
                        "missing a DataFrame spec"),
                Arguments.of("join with unknown field", R + ", \"ops\": [{\"join\": {\"right\": " + R + "}, \"on\": [\"id\"], \"hw\": \"left\"}}]}",
                        "/ops/0/join/hw", "unknown field 'hw'"),
                Arguments.of("invalid op inside the right side", R + ", \"ops\": [{\"join\": {\"right\": " + R + ", \"ops\": [{\"nope\": 1}]},"
                        + " \"on\": [\"id\"]}}]}", "/ops/0/join/right/ops/0/nope", "unknown operation 'nope'"),
                Arguments.of("groupBy without agg", R + ", \"ops\": [{\"groupBy\": {\"by\": [\"id\"]}}]}", "/ops/0/groupBy/agg",
                        "missing aggregate expressions"),
                Arguments.of("groupBy as an array", R + ", \"ops\": [{\"groupBy\": [\"id\"]}]}", "/ops/0/groupBy", "as an object"),
                Arguments.of("unknown sort order", R + ", \"ops\": [{\"orderBy\": [{\"col\": \"id\", \"order\": \"up\"}]}]}",
                        "/ops/0/orderBy/0/order", "expected order \"asc\" or \"desc\""),
                Arguments.of("unknown null ordering", R + ", \"ops\": [{\"sort\": [\"id\", {\"col\": \"id\", \"nulls\": \"middle\"}]}]}",
                        "/ops/0/sort/1/nulls", "expected nulls \"first\" or \"last\""),
                Arguments.of("distinct false", R + ", \"ops\": [{\"distinct\": false}]}", "/ops/0/distinct", "\"distinct\": true"),
                Arguments.of("withColumn without expr", R + ", \"ops\": [{\"withColumn\": {\"name\": \"x\"}}]}", "/ops/0/withColumn/expr",
                        "missing the column's SQL expression"),
                Arguments.of("empty withColumns", R + ", \"ops\": [{\"withColumns\": {}}]}", "/ops/0/withColumns", "at least one entry"),
                Arguments.of("withColumnRenamed without to", R + ", \"ops\": [{\"withColumnRenamed\": {\"from\": \"id\"}}]}",
                        "/ops/0/withColumnRenamed/to", "missing the new name"),
                Arguments.of("drop with a number", R + ", \"ops\": [{\"drop\": [\"id\", 1]}]}", "/ops/0/drop/1", "as a string"),
                Arguments.of("union without right", R + ", \"ops\": [{\"union\": {}}]}", "/ops/0/union/right", "missing a DataFrame spec"),
                Arguments.of("unionByName flag not boolean", R + ", \"ops\": [{\"unionByName\": {\"right\": " + R + "},"
                        + " \"allowMissingColumns\": \"yes\"}}]}", "/ops/0/unionByName/allowMissingColumns", "true or false"),
                Arguments.of("empty alias", R + ", \"ops\": [{\"alias\": \"\"}]}", "/ops/0/alias", "is empty"),
                Arguments.of("specs nested too deep", nested(17), "/ops/0/join/right".repeat(16), "gateway.dataframe.max-depth"),
                Arguments.of("too many operations", R + ", \"ops\": [" + "{\"limit\": 1},".repeat(500) + "{\"limit\": 1}]}", "/ops/499",
                        "gateway.dataframe.max-operations"),
                Arguments.of("too many inline rows", "{\"source\": {\"values\": {\"schema\": \"a INT\", \"rows\": ["
                        + "[1],".repeat(10_000) + "[1]]}}}", "/source/values/rows", "gateway.dataframe.max-inline-rows"));
    }

    /** A spec whose join right sides nest {@code depth} specs deep. */
    static String nested(int depth) {
        String spec = R + "}";
        for (int i = 1; i < depth; i++) {
            spec = R + ", \"ops\": [{\"join\": {\"right\": " + spec + ", \"how\": \"cross\"}}]}";
        }
        return spec;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSpecs")
    void invalidSpecIs400WithPointer(String name, String spec, String pointer, String detail) {
        for (String path : new String[] {"/v1/dataframe", "/v1/dataframe/schema"}) {
            given().contentType(ContentType.JSON).body(spec)
                    .when().post(path)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("/problems/invalid-request"))
                    .body("pointer", equalTo(pointer))
                    .body("detail", containsString(detail));
        }
    }
}
