package dev.sparkgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.sparkgateway.testing.ChunkedResponse;
import dev.sparkgateway.testing.StatementClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Negotiated compression against the real Spark server, bytes read off a bare socket: gzip and zstd
 * bodies decode to the plain body, small bodies stay plain, q=0 is honoured, a failed body's
 * compressed stream never ends, and Arrow's own body compression reads back in Arrow Java.
 */
@QuarkusTest
class CompressionTest {

    static final String QUERY = "SELECT id, id * 2 AS twice, concat('row-', id) AS label, id % 7 = 0 AS seventh FROM range(20000)";

    @ConfigProperty(name = "quarkus.http.test-port")
    int httpPort;

    /** A complete response: its headers and body bytes as they crossed the wire. */
    private record Wire(ChunkedResponse response, ChunkedResponse.End end) {
        String header(String name) {
            return response.header(name);
        }
    }

    private Wire post(String path, String sql, String... headers) throws IOException {
        Map<String, String> h = new HashMap<>(Map.of("Content-Type", "text/plain"));
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        try (ChunkedResponse response = ChunkedResponse.post(httpPort, path, h, sql)) {
            return new Wire(response, response.readToEnd());
        }
    }

    private static InputStream decoder(String coding, byte[] bytes) throws IOException {
        InputStream in = new ByteArrayInputStream(bytes);
        return coding.equals("gzip") ? new GZIPInputStream(in) : new ZstdInputStream(in);
    }

    @ParameterizedTest
    @CsvSource({"json,gzip", "json,zstd", "ndjson,gzip", "ndjson,zstd", "csv,gzip", "csv,zstd"})
    void aCompressedBodyDecodesToThePlainBody(String format, String coding) throws IOException {
        Wire plain = post("/v1/sql?format=" + format, QUERY);
        Wire compressed = post("/v1/sql?format=" + format, QUERY, "Accept-Encoding", coding, "TE", "trailers");
        assertNull(plain.header("Content-Encoding"), "no Accept-Encoding, no coding");
        assertEquals("Accept-Encoding", plain.header("Vary"));
        assertEquals(coding, compressed.header("Content-Encoding"));
        assertEquals("Accept-Encoding", compressed.header("Vary"));
        assertTrue(compressed.end().complete(), "a complete body ends with its terminating chunk");
        assertEquals("20000", compressed.end().trailers().get("x-result-row-count"), "trailers are kept");
        try (InputStream in = decoder(coding, compressed.end().data())) {
            assertArrayEquals(plain.end().data(), in.readAllBytes(), format + " decoded");
        }
        long wire = compressed.end().data().length;
        long raw = plain.end().data().length;
        assertTrue(wire * 3 < raw, format + "/" + coding + ": " + wire + " bytes on the wire for " + raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "ndjson", "csv"})
    void aBodyUnderTheMinimumSizeGoesOutPlain(String format) throws IOException {
        Wire small = post("/v1/sql?format=" + format, "SELECT 1 AS one", "Accept-Encoding", "gzip, zstd");
        assertNull(small.header("Content-Encoding"));
        assertEquals("Accept-Encoding", small.header("Vary"), "the representation still varies by Accept-Encoding");
        assertTrue(small.end().text().contains("1"), small.end().text());
        assertTrue(small.end().complete());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"zstd;q=0, gzip|gzip", "gzip;q=0.4, zstd;q=0.6|zstd", "*;q=0.5, zstd;q=0|gzip",
            "gzip;q=0, zstd;q=0|-", "gzip;q=0.5, identity|-", "br|-"})
    void qValuesDecide(String acceptEncoding, String expected) throws IOException {
        Wire wire = post("/v1/sql?format=csv", QUERY, "Accept-Encoding", acceptEncoding);
        assertEquals(expected.equals("-") ? null : expected, wire.header("Content-Encoding"), acceptEncoding);
    }

    @ParameterizedTest
    @CsvSource({"json,gzip", "json,zstd", "ndjson,zstd", "csv,gzip"})
    void aFailureMidStreamLeavesTheCompressedStreamUnterminated(String format, String coding) throws IOException {
        Wire wire = post("/v1/sql?format=" + format, MidStreamFailureTest.FAILS_LATE, "Accept-Encoding", coding);
        assertEquals(200, wire.response().status());
        assertEquals(coding, wire.header("Content-Encoding"));
        assertFalse(wire.end().complete(), "the HTTP body is cut off");
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        try (InputStream in = decoder(coding, wire.end().data())) {
            assertThrows(IOException.class, () -> in.transferTo(decoded), "the compressed stream itself has no end");
        }
        String text = decoded.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("999"), "the rows sent before the failure decode");
        if (!format.equals("csv")) {
            assertTrue(text.contains("USER_RAISED_EXCEPTION"), "the in-band error decodes: " + text.substring(Math.max(0, text.length() - 300)));
        }
    }

    @Test
    void arrowIsNotContentCodedItCompressesItsOwnBuffers() throws IOException {
        Wire wire = post("/v1/sql?format=arrow", QUERY, "Accept-Encoding", "gzip, zstd");
        assertNull(wire.header("Content-Encoding"));
        assertNull(wire.header("Vary"));
    }

    @Test
    void statementChunksAreCompressedToo() throws IOException {
        StatementClient statements = new StatementClient(URI.create("http://127.0.0.1:" + httpPort));
        JsonNode submitted = statements.submit(200, new ObjectMapper().createObjectNode().put("sql", QUERY).put("waitTimeout", 60).toString());
        String id = submitted.path("statementId").asText();
        HttpResponse<byte[]> plain = statements.send("GET", "/v1/statements/" + id + "/result/chunks/0", null, "Accept", "text/csv");
        HttpResponse<byte[]> gzip = statements.send("GET", "/v1/statements/" + id + "/result/chunks/0", null, "Accept", "text/csv",
                "Accept-Encoding", "gzip");
        assertEquals(200, gzip.statusCode());
        assertEquals("gzip", gzip.headers().firstValue("Content-Encoding").orElse(null));
        try (InputStream in = decoder("gzip", gzip.body())) {
            assertArrayEquals(plain.body(), in.readAllBytes());
        }
        statements.delete(id);
    }

    @ParameterizedTest
    @CsvSource({"zstd,2", "lz4,1.3"})
    void arrowBodyCompressionReadsBackInArrowJava(String codec, double atLeastTimesSmaller) throws IOException {
        Wire plain = post("/v1/sql", QUERY, "Accept", "application/vnd.apache.arrow.stream");
        Wire compressed = post("/v1/sql", QUERY, "Accept", "application/vnd.apache.arrow.stream; codec=" + codec);
        assertEquals(200, compressed.response().status());
        assertTrue(compressed.end().complete());
        long[] plainSum = read(plain.end().data());
        long[] compressedSum = read(compressed.end().data());
        assertArrayEquals(plainSum, compressedSum, "rows, sum of id, sum of label lengths");
        assertEquals(20000, compressedSum[0]);
        int wire = compressed.end().data().length;
        int raw = plain.end().data().length;
        assertTrue(wire * atLeastTimesSmaller < raw, codec + ": " + wire + " of " + raw + " bytes");
    }

    @Test
    void arrowWithARowLimitCompressesTheCutBatch() throws IOException {
        Wire wire = post("/v1/sql?limit=1234", QUERY, "Accept", "application/vnd.apache.arrow.stream;codec=zstd");
        assertEquals(1234, read(wire.end().data())[0]);
    }

    @Test
    void anUnknownArrowCodecIsNotAcceptable() {
        given().contentType(ContentType.TEXT).accept("application/vnd.apache.arrow.stream; codec=brotli").body(QUERY)
                .when().post("/v1/sql")
                .then().statusCode(406).contentType("application/problem+json")
                .body("type", equalTo("/problems/not-acceptable"), "detail", containsString("zstd, lz4 or none"));
    }

    /** Rows, sum of {@code id} and total length of {@code label}, read with Arrow Java's codecs. */
    private static long[] read(byte[] stream) throws IOException {
        long rows = 0;
        long ids = 0;
        long labels = 0;
        try (BufferAllocator allocator = new RootAllocator();
             ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), allocator, CommonsCompressionFactory.INSTANCE)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                BigIntVector id = (BigIntVector) root.getVector("id");
                VarCharVector label = (VarCharVector) root.getVector("label");
                for (int i = 0; i < root.getRowCount(); i++) {
                    ids += id.get(i);
                    labels += label.get(i).length;
                }
                rows += root.getRowCount();
            }
        }
        return new long[] {rows, ids, labels};
    }
}
