package dev.sparkgateway.api;

import dev.sparkgateway.testing.CapturedLog;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that reads a little and hangs up mid-body: the gateway notices at its next write (the
 * connection's own state, not an error message), stops, interrupts Spark and logs 499, instead of
 * feeding a closed connection the whole result.
 */
@QuarkusTest
class ClientLeftMidStreamTest {

    /** 400M rows in 4,000 partitions: minutes of streaming if nobody stopped it. */
    static final String HUGE = "SELECT id FROM range(0, 400000000, 1, 4000)";

    @ConfigProperty(name = "quarkus.http.test-port")
    int httpPort;

    @ParameterizedTest
    @ValueSource(strings = {"application/x-ndjson", "text/csv"})
    void theGatewayStopsWhenTheClientLeaves(String accept) throws Exception {
        String requestId = "left-" + accept.replaceAll("\\W", "-");
        try (CapturedLog requests = CapturedLog.of("dev.sparkgateway.request")) {
            try (Socket socket = new Socket("127.0.0.1", httpPort)) {
                byte[] body = HUGE.getBytes(StandardCharsets.UTF_8);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/sql HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nAccept: " + accept
                        + "\r\nX-Request-Id: " + requestId + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] first = in.readNBytes(32 * 1024);
                assertTrue(new String(first, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"), "streaming began");
            }
            List<String> line = requests.await(l -> l.startsWith("request=" + requestId + " "), Duration.ofSeconds(60));
            assertEquals(1, line.size(), "the request ended and was logged: " + requests.messages());
            assertTrue(line.get(0).contains(" status=499 "), line.get(0));
            Matcher rows = Pattern.compile(" rows=(\\d+) ").matcher(line.get(0));
            assertTrue(rows.find());
            assertTrue(Long.parseLong(rows.group(1)) < 100_000_000L, "stopped long before the end: " + line.get(0));
        }
    }
}
