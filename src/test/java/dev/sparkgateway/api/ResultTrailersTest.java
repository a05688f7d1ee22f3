package dev.sparkgateway.api;

import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Row count and truncation arrive as HTTP trailers in every format, so CSV and Arrow can tell a cut by limit. */
@QuarkusTest
class ResultTrailersTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int httpPort;

    @ParameterizedTest
    @CsvSource({"csv,5,5,true", "arrow,5,5,true", "json,5,5,true", "ndjson,100,10,false", "csv,100,10,false"})
    void trailersSayHowManyRowsAndWhetherTheLimitCut(String format, int limit, long rows, boolean truncated) throws IOException {
        Map<String, String> trailers = trailers("/v1/sql?format=" + format + "&limit=" + limit, "SELECT id FROM range(10)");
        assertEquals(Long.toString(rows), trailers.get("x-result-row-count"), trailers.toString());
        assertEquals(Boolean.toString(truncated), trailers.get("x-result-truncated"), trailers.toString());
    }

    /** A bare HTTP/1.1 exchange read to its end: the trailer fields after the last chunk. */
    private Map<String, String> trailers(String path, String sql) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", httpPort)) {
            byte[] body = sql.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nTE: trailers\r\nConnection: close\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String status = line(in);
            assertTrue(status.startsWith("HTTP/1.1 200"), status);
            boolean chunked = false;
            String header;
            while (!(header = line(in)).isEmpty()) {
                chunked |= header.toLowerCase(Locale.ROOT).equals("transfer-encoding: chunked");
            }
            assertTrue(chunked, "a streamed body is chunked");
            int size;
            while ((size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0) {
                in.readNBytes(size);
                assertEquals("", line(in));
            }
            Map<String, String> trailers = new LinkedHashMap<>();
            String field;
            while (!(field = line(in)).isEmpty()) {
                int colon = field.indexOf(':');
                trailers.put(field.substring(0, colon).trim().toLowerCase(Locale.ROOT), field.substring(colon + 1).trim());
            }
            return trailers;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
