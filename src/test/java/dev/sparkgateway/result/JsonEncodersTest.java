package dev.sparkgateway.result;

import static dev.sparkgateway.result.Fixtures.ID_NAME;
import static dev.sparkgateway.result.Fixtures.PROBLEM;
import static dev.sparkgateway.result.Fixtures.idNameChunk;
import static dev.sparkgateway.result.Fixtures.idNameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JsonEncodersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    final ArrowMemory memory = new ArrowMemory();
    private final RootAllocator allocator = memory.allocator();

    private String encode(ResultEncoder encoder, ResultStream result) throws IOException, ResultFailedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                throw new AssertionError("the encoder must not close the caller's stream");
            }
        };
        encoder.encode(result, out, PROBLEM);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The body written before a result failure, which the encoder must report in-band and then rethrow. */
    private String encodeFailing(ResultEncoder encoder, ResultStream result,
            Function<Throwable, Map<String, Object>> problem) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultFailedException e = assertThrows(ResultFailedException.class, () -> encoder.encode(result, out, problem));
        assertTrue(e.reportedInBand(), "the error was written into the body first");
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The rows as "id:name" strings, to compare content compactly. */
    private static List<String> rows(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get(0).asLong() + ":" + (r.get(1).isNull() ? "NULL" : r.get(1).asText())));
        return out;
    }

    @Test
    void jsonDocumentOverSeveralChunks() throws Exception {
        ResultStream result = new Fixtures.ScriptedResult(ID_NAME, false,
                idNameChunk(allocator, 0, 3), idNameChunk(allocator, 3, 3), idNameChunk(allocator, 6, 4));
        String body = encode(new JsonEncoder(allocator), result);
        assertTrue(body.startsWith("{\"schema\":[{\"name\":\"id\",\"type\":\"bigint\",\"nullable\":false},"
                + "{\"name\":\"name\",\"type\":\"string\",\"nullable\":true}],\"rows\":[[0,null],[1,\"n1\"],"), body);
        assertTrue(body.endsWith("[9,\"n9\"]],\"rowCount\":10,\"truncated\":false}"), body);
        JsonNode doc = MAPPER.readTree(body);
        assertEquals(idNameRows(0, 10), rows(doc.get("rows")));
        assertFalse(doc.has("error"));
    }

    @Test
    void jsonHonoursKeepRowsAndReportsTruncation() throws Exception {
        ResultStream result = new Fixtures.ScriptedResult(ID_NAME, true,
                idNameChunk(allocator, 0, 5), idNameChunk(allocator, 5, 5, 2));
        JsonNode doc = MAPPER.readTree(encode(new JsonEncoder(allocator), result));
        assertEquals(idNameRows(0, 7), rows(doc.get("rows")));
        assertEquals(7, doc.get("rowCount").asLong());
        assertTrue(doc.get("truncated").asBoolean());
    }

    @Test
    void jsonEmptyResultAndSkippedChunks() throws Exception {
        String body = encode(new JsonEncoder(allocator), new Fixtures.ScriptedResult(ID_NAME, false,
                idNameChunk(allocator, 0, 0), idNameChunk(allocator, 0, 4, 0)));
        JsonNode doc = MAPPER.readTree(body);
        assertEquals(0, doc.get("rows").size());
        assertEquals(0, doc.get("rowCount").asLong());
        assertEquals(2, doc.get("schema").size());
    }

    @Test
    void jsonMidStreamFailureClosesTheDocumentWithAnError() throws Exception {
        ResultStream result = new Fixtures.ScriptedResult(ID_NAME, true,
                idNameChunk(allocator, 0, 3), new IllegalStateException("executor lost"), idNameChunk(allocator, 3, 3));
        String body = encodeFailing(new JsonEncoder(allocator), result, PROBLEM);
        JsonNode doc = MAPPER.readTree(body);
        assertEquals(idNameRows(0, 3), rows(doc.get("rows")));
        assertEquals(3, doc.get("rowCount").asLong());
        assertFalse(doc.get("truncated").asBoolean());
        assertEquals("Spark failed", doc.at("/error/title").asText());
        assertEquals(502, doc.at("/error/status").asInt());
        assertEquals("executor lost", doc.at("/error/detail").asText());
    }

    @Test
    void jsonFailureBeforeAnyRowAndAFailingErrorMapper() throws Exception {
        ResultStream result = new Fixtures.ScriptedResult(ID_NAME, false, new IOException("stream reset"));
        JsonNode doc = MAPPER.readTree(encodeFailing(new JsonEncoder(allocator), result, t -> {
            throw new IllegalArgumentException("mapper bug");
        }));
        assertEquals(0, doc.get("rows").size());
        assertEquals(500, doc.at("/error/status").asInt());
        assertEquals("stream reset", doc.at("/error/detail").asText());
    }

    @Test
    void undecodableBatchIsReportedAsAResultFailure() throws Exception {
        // A legacy-framed message of 4 bytes that are no flatbuffer: fails at once. (Text such as "not arrow"
        // would be read as a ~540 MB message length, and the allocation alone can exhaust the test heap.)
        ArrowChunk garbage = new ArrowChunk(com.google.protobuf.ByteString.copyFrom(new byte[] {4, 0, 0, 0, 'j', 'u', 'n', 'k'}), 1, 1);
        JsonNode doc = MAPPER.readTree(encodeFailing(new JsonEncoder(allocator),
                new Fixtures.ScriptedResult(ID_NAME, false, idNameChunk(allocator, 0, 2), garbage), PROBLEM));
        assertEquals(2, doc.get("rowCount").asLong());
        assertTrue(doc.has("error"));
    }

    @Test
    void clientDisconnectPropagatesAndFreesMemory() {
        List<Object> chunks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            chunks.add(idNameChunk(allocator, i * 1000L, 1000));
        }
        for (ResultEncoder encoder : List.of(new JsonEncoder(allocator), new NdjsonEncoder(allocator))) {
            ResultStream result = new Fixtures.ScriptedResult(ID_NAME, false, chunks.toArray());
            assertThrows(IOException.class, () -> encoder.encode(result, new Fixtures.BrokenPipe(100_000), PROBLEM));
        }
    }

    @Test
    void ndjsonLines() throws Exception {
        ResultStream result = new Fixtures.ScriptedResult(ID_NAME, true,
                idNameChunk(allocator, 0, 4), idNameChunk(allocator, 4, 4, 3));
        String body = encode(new NdjsonEncoder(allocator), result);
        assertTrue(body.endsWith("\n"));
        String[] lines = body.split("\n");
        assertEquals(1 + 7 + 1, lines.length);
        assertEquals("{\"schema\":[{\"name\":\"id\",\"type\":\"bigint\",\"nullable\":false},"
                + "{\"name\":\"name\",\"type\":\"string\",\"nullable\":true}]}", lines[0]);
        assertEquals("[0,null]", lines[1]);
        assertEquals("[1,\"n1\"]", lines[2]);
        List<String> got = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            got.addAll(rows(MAPPER.readTree("[" + lines[i] + "]")));
        }
        assertEquals(idNameRows(0, 7), got);
        assertEquals("{\"rowCount\":7,\"truncated\":true}", lines[8]);
    }

    @Test
    void ndjsonFailureEndsWithAnErrorLine() throws Exception {
        ResultStream result = new Fixtures.ScriptedResult(ID_NAME, false,
                idNameChunk(allocator, 0, 2), new RuntimeException("boom"));
        String[] lines = encodeFailing(new NdjsonEncoder(allocator), result, PROBLEM).split("\n");
        assertEquals(4, lines.length);
        assertEquals("[1,\"n1\"]", lines[2]);
        JsonNode last = MAPPER.readTree(lines[3]);
        assertEquals(List.of("error"), List.copyOf(iterable(last.fieldNames())));
        assertEquals(Map.of("type", "about:blank", "title", "Spark failed", "status", 502, "detail", "boom"),
                MAPPER.convertValue(last.get("error"), Map.class));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
