package dev.sparkgateway.api;

import dev.sparkgateway.testing.JsonResultStream;
import dev.sparkgateway.testing.SparkConnectTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import com.fasterxml.jackson.core.JsonToken;

import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One million rows span ~245 Arrow batches on the test server (maxRecordsPerBatch 4096); every
 * format must deliver all of them, in order. Bodies are read as streams, never held whole.
 */
@QuarkusTest
class LargeResultTest {

    private static final int ROWS = 1_000_000;
    private static final String QUERY = "{\"sql\":\"SELECT id, id * 2 AS twice FROM range(" + ROWS + ")\"}";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/v1/sql")
    URI sql;

    /** The JDK client streams the body; RestAssured would buffer all of it first. */
    private InputStream fetch(String accept) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(sql)
                .header("Content-Type", "application/json").header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(QUERY)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    @Test
    void json() throws Exception {
        JsonResultStream.Summary result = JsonResultStream.read(fetch("application/json"), (i, row) -> {
            assertEquals(i, row.getLongValue());
            row.nextToken();
            assertEquals(i * 2, row.getLongValue());
            assertEquals(JsonToken.END_ARRAY, row.nextToken(), "two columns");
        });
        assertEquals(ROWS, result.rows());
        assertEquals(ROWS, result.rowCount());
        assertEquals(false, result.truncated());
    }

    @Test
    void ndjson() throws Exception {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(fetch("application/x-ndjson"), StandardCharsets.UTF_8))) {
            assertTrue(reader.readLine().startsWith("{\"schema\""));
            for (long i = 0; i < ROWS; i++) {
                assertEquals("[" + i + "," + (i * 2) + "]", reader.readLine());
            }
            assertEquals("{\"rowCount\":" + ROWS + ",\"truncated\":false}", reader.readLine());
            assertEquals(null, reader.readLine());
        }
    }

    @Test
    void csv() throws Exception {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(fetch("text/csv"), StandardCharsets.UTF_8))) {
            assertEquals("id,twice", reader.readLine());
            for (long i = 0; i < ROWS; i++) {
                assertEquals(i + "," + (i * 2), reader.readLine());
            }
            assertEquals(null, reader.readLine());
        }
    }

    @Test
    void arrow() throws Exception {
        try (RootAllocator allocator = new RootAllocator();
             ArrowStreamReader reader = new ArrowStreamReader(fetch("application/vnd.apache.arrow.stream"), allocator)) {
            long expected = 0;
            int batches = 0;
            while (reader.loadNextBatch()) {
                batches++;
                BigIntVector id = (BigIntVector) reader.getVectorSchemaRoot().getVector("id");
                BigIntVector twice = (BigIntVector) reader.getVectorSchemaRoot().getVector("twice");
                for (int i = 0; i < id.getValueCount(); i++, expected++) {
                    assertEquals(expected, id.get(i));
                    assertEquals(expected * 2, twice.get(i));
                }
            }
            assertEquals(ROWS, expected);
            assertTrue(batches >= ROWS / SparkConnectTestResource.MAX_RECORDS_PER_BATCH, "batches: " + batches);
        }
    }

    @Test
    void limitCutsInsideABatchInEveryFormat() throws Exception {
        String body = "{\"sql\":\"SELECT id FROM range(100000)\",\"limit\":5000}";
        given().contentType(ContentType.JSON).body(body).when().post("/v1/sql").then().statusCode(200)
                .body("rowCount", org.hamcrest.Matchers.equalTo(5000)).body("truncated", org.hamcrest.Matchers.equalTo(true));
        String csv = given().contentType(ContentType.JSON).accept("text/csv").body(body).when().post("/v1/sql").asString();
        assertEquals(5001, csv.split("\r\n").length);
        byte[] arrow = given().contentType(ContentType.JSON).accept("application/vnd.apache.arrow.stream").body(body)
                .when().post("/v1/sql").asByteArray();
        try (RootAllocator allocator = new RootAllocator();
             ArrowStreamReader reader = new ArrowStreamReader(new java.io.ByteArrayInputStream(arrow), allocator)) {
            long rows = 0;
            while (reader.loadNextBatch()) {
                rows += reader.getVectorSchemaRoot().getRowCount();
            }
            assertEquals(5000, rows);
        }
    }
}
