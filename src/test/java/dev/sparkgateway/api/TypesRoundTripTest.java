package dev.sparkgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every Spark SQL type through the real stack: a value goes in (as a typed parameter or SQL
 * literal), Spark returns it, and the JSON form documented in docs/types.md comes out.
 */
@QuarkusTest
class TypesRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Typed parameter in, same JSON value out: a real round trip through Spark. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            BOOLEAN          | true                                  | boolean          | true
            TINYINT          | -128                                  | tinyint          | -128
            SMALLINT         | 32767                                 | smallint         | 32767
            INT              | -2147483648                           | int              | -2147483648
            BIGINT           | 9007199254740993                      | bigint           | 9007199254740993
            BIGINT           | -9223372036854775808                  | bigint           | -9223372036854775808
            FLOAT            | 1.5                                   | float            | 1.5
            DOUBLE           | 0.1                                   | double           | 0.1
            DOUBLE           | "NaN"                                 | double           | "NaN"
            DOUBLE           | "Infinity"                            | double           | "Infinity"
            DOUBLE           | "-Infinity"                           | double           | "-Infinity"
            DECIMAL(10,2)    | "12.30"                               | decimal(10,2)    | "12.30"
            DECIMAL(38,18)   | "-12345678901234567890.123456789012345678" | decimal(38,18) | "-12345678901234567890.123456789012345678"
            STRING           | "héllo, \\"wörld\\"\\n"               | string           | "héllo, \\"wörld\\"\\n"
            BINARY           | "yv66vg=="                            | binary           | "yv66vg=="
            DATE             | "2024-01-31"                          | date             | "2024-01-31"
            DATE             | "1969-07-20"                          | date             | "1969-07-20"
            TIMESTAMP        | "2024-01-31T12:34:56.123456Z"         | timestamp        | "2024-01-31T12:34:56.123456Z"
            TIMESTAMP        | "1960-01-01T00:00:00+02:00"           | timestamp        | "1959-12-31T22:00:00Z"
            TIMESTAMP_NTZ    | "2024-01-31T12:34:56.5"               | timestamp_ntz    | "2024-01-31T12:34:56.5"
            ARRAY<INT>       | [1,null,3]                            | array<int>       | [1,null,3]
            MAP<STRING,BIGINT> | {"a":1,"b":null}                    | map<string,bigint> | {"a":1,"b":null}
            ARRAY<ARRAY<STRING>> | [["x"],[]]                        | array<array<string>> | [["x"],[]]
            INT              | null                                  | int              | null
            """)
    void typedParameterRoundTrips(String type, String value, String sparkType, String expected) throws Exception {
        String body = "{\"sql\":\"SELECT :v AS v\",\"parameters\":{\"v\":{\"value\":" + value + ",\"type\":\"" + type + "\"}}}";
        JsonNode result = run(body);
        assertEquals(sparkType, result.at("/schema/0/type").asText());
        assertEquals(JSON.readTree(expected), result.at("/rows/0/0"));
    }

    /** Types a parameter cannot carry, produced by SQL instead. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            NULL                                               | void                          | null
            INTERVAL '1-2' YEAR TO MONTH                       | interval year to month        | "P1Y2M"
            INTERVAL '-0-3' YEAR TO MONTH                      | interval year to month        | "-P3M"
            INTERVAL '1 02:03:04.5' DAY TO SECOND              | interval day to second        | "PT26H3M4.5S"
            named_struct('x', 1, 'y', 'z', 'n', CAST(NULL AS INT)) | struct<x:int,y:string,n:int> | {"x":1,"y":"z","n":null}
            map(1, 'one', 2, 'two')                            | map<int,string>               | {"1":"one","2":"two"}
            array(named_struct('a', array(1.5D)))              | array<struct<a:array<double>>> | [{"a":[1.5]}]
            CAST('x' AS VARCHAR(3))                            | string                        | "x"
            TIMESTAMP_NTZ '1900-01-01 00:00:00'                | timestamp_ntz                 | "1900-01-01T00:00:00"
            """)
    void sqlValuesHaveOneJsonForm(String expression, String sparkType, String expected) throws Exception {
        JsonNode result = run(JSON.writeValueAsString(java.util.Map.of("sql", "SELECT " + expression + " AS v")));
        assertEquals(sparkType, result.at("/schema/0/type").asText());
        assertEquals(JSON.readTree(expected), result.at("/rows/0/0"));
    }

    private static JsonNode run(String body) throws Exception {
        String response = given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/sql")
                .then().statusCode(200).extract().asString();
        return JSON.readTree(response);
    }
}
