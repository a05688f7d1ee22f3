package dev.sparkgateway.api;

import dev.sparkgateway.testing.ChunkedResponse;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
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
        try (ChunkedResponse response = ChunkedResponse.post(httpPort, "/v1/sql?format=" + format + "&limit=" + limit,
                Map.of("Content-Type", "text/plain", "TE", "trailers"), "SELECT id FROM range(10)")) {
            assertEquals(200, response.status());
            assertEquals("chunked", response.header("Transfer-Encoding"), "a streamed body is chunked");
            ChunkedResponse.End end = response.readToEnd();
            assertTrue(end.complete(), "the body ended with its terminating chunk");
            Map<String, String> trailers = end.trailers();
            assertEquals(Long.toString(rows), trailers.get("x-result-row-count"), trailers.toString());
            assertEquals(Boolean.toString(truncated), trailers.get("x-result-truncated"), trailers.toString());
        }
    }
}
