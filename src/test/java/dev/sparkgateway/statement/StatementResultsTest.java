package dev.sparkgateway.statement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkgateway.testing.ConfigOverrides;
import dev.sparkgateway.testing.StatementApiTest;
import dev.sparkgateway.testing.StatementClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chunked, spooled results: repeatable and parallel fetches, every format, and reattached Spark streams. */
@QuarkusTest
@TestProfile(StatementResultsTest.SmallChunks.class)
class StatementResultsTest extends StatementApiTest {

    public static class SmallChunks extends ConfigOverrides {
        public SmallChunks() {
            super(Map.of("gateway.statements.chunk-size", "256K"));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void multiChunkResultIsIdenticalOnEveryFetchAndEqualsTheSyncResult() throws Exception {
        String sql = "SELECT id, concat('row-', id) AS s, id * 0.5 AS half FROM range(0, 150000, 1, 8)";
        JsonNode statement = api.submit(200, "{\"sql\": \"" + sql + "\", \"waitTimeout\": 60}");
        String id = statement.get("statementId").asText();
        JsonNode chunks = statement.at("/result/chunks");
        assertTrue(chunks.size() >= 5, "expected many chunks: " + chunks.size());
        assertTrue(statement.at("/result/inline").isMissingNode() || chunks.get(0).get("byteCount").asLong() <= 262144);

        List<JsonNode> rows = new ArrayList<>();
        long offset = 0;
        try (BufferAllocator allocator = new RootAllocator()) {
            for (JsonNode chunk : chunks) {
                int index = chunk.get("index").asInt();
                assertEquals(offset, chunk.get("rowOffset").asLong());
                // Twice in parallel, in two formats: the same bytes each time.
                for (String accept : List.of("application/vnd.apache.arrow.stream", "application/json")) {
                    CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture.supplyAsync(() -> api.chunk(id, index, accept));
                    CompletableFuture<HttpResponse<byte[]>> second = CompletableFuture.supplyAsync(() -> api.chunk(id, index, accept));
                    byte[] a = first.get().body();
                    assertEquals(200, first.get().statusCode());
                    assertArrayEquals(a, second.get().body(), "chunk " + index + " " + accept);
                    if (accept.endsWith("arrow.stream")) {
                        assertEquals(chunk.get("byteCount").asLong(), a.length);
                        assertEquals(chunk.get("rowCount").asLong(), arrowRows(a, allocator), "a standalone Arrow stream");
                    } else {
                        JsonNode body = JSON.readTree(a);
                        assertEquals(chunk.get("rowCount").asLong(), body.get("rowCount").asLong());
                        body.get("rows").forEach(rows::add);
                    }
                }
                offset += chunk.get("rowCount").asLong();
            }
        }
        assertEquals(150000, offset);
        assertEquals(150000, statement.at("/result/rowCount").asLong());
        HttpResponse<byte[]> sync = api.send("POST", "/v1/sql", "{\"sql\": \"" + sql + "\"}");
        JsonNode syncRows = JSON.readTree(sync.body()).get("rows");
        assertEquals(syncRows.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(syncRows.get(i), rows.get(i), "row " + i);
        }
        String csv = new String(api.chunk(id, 1, "text/csv").body(), StandardCharsets.UTF_8);
        assertTrue(csv.startsWith("id,s,half\r\n"), csv.substring(0, 40));
        String ndjson = new String(api.send("GET", "/v1/statements/" + id + "/result/chunks/0?format=ndjson", null).body(),
                StandardCharsets.UTF_8);
        assertTrue(ndjson.startsWith("{\"schema\":"), ndjson.substring(0, 40));
        StatementClient.json(404, api.chunk(id, chunks.size(), "application/json"));
    }

    @Test
    void rowLimitMarksTheLastChunkTruncated() {
        JsonNode statement = api.submit(200, "{\"sql\": \"SELECT * FROM range(100000)\", \"limit\": 10, \"waitTimeout\": 30}");
        assertEquals(10, statement.at("/result/rowCount").asLong());
        assertTrue(statement.at("/result/truncated").asBoolean());
        assertTrue(statement.at("/result/inline/truncated").asBoolean());
        assertEquals(10, statement.at("/result/inline/rows").size());
    }

    @Test
    void longResultCompletesAcrossReattachedSparkStreams() throws Exception {
        // The test server cuts reattachable streams every 2 MB (senderMaxStreamSize): ~20 MB means ~10 cuts.
        long before = reattaches();
        JsonNode statement = api.submit(200, "{\"sql\": \"SELECT id, repeat('x', 100) AS s FROM range(0, 200000, 1, 20)\","
                + " \"waitTimeout\": 120}");
        assertEquals("SUCCEEDED", statement.get("state").asText(), statement.toString());
        long reattached = reattaches() - before;
        System.out.println("reattaches during the long result: " + reattached);
        assertTrue(reattached >= 5, "expected the server to cut the stream several times, saw " + reattached);
        String id = statement.get("statementId").asText();
        long expected = 0;
        for (JsonNode chunk : statement.at("/result/chunks")) {
            String csv = new String(api.chunk(id, chunk.get("index").asInt(), "text/csv").body(), StandardCharsets.UTF_8);
            String[] lines = csv.split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                assertEquals(expected++, Long.parseLong(lines[i].substring(0, lines[i].indexOf(','))), "rows in order, none lost or repeated");
            }
        }
        assertEquals(200000, expected);
    }

    private long reattaches() {
        String metrics = new String(api.send("GET", "/q/metrics", null).body(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^gateway_spark_reattaches_total(?:\\{[^}]*})? ([0-9.E]+)").matcher(metrics);
        assertTrue(m.find(), "no reattach counter in /q/metrics");
        return (long) Double.parseDouble(m.group(1));
    }

    private static long arrowRows(byte[] stream, BufferAllocator allocator) throws Exception {
        long rows = 0;
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), allocator)) {
            while (reader.loadNextBatch()) {
                rows += reader.getVectorSchemaRoot().getRowCount();
            }
        }
        return rows;
    }
}
