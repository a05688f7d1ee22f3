package dev.sparkgateway.it;

import dev.sparkgateway.testing.JsonResultStream;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged gateway (fast-jar, as in production) runs with -Xmx128m (failsafe sets
 * quarkus.test.arg-line) and streams ten million rows as JSON and as Arrow: it only works if
 * nothing holds the whole result.
 */
@QuarkusIntegrationTest
class BoundedMemoryIT {

    private static final long ROWS = 10_000_000L;
    // 100 partitions: Spark's driver holds one partition's result at a time, and the test server has 1 GiB.
    private static final String QUERY = "{\"sql\":\"SELECT id, id * 2 AS twice, CAST(id AS STRING) AS s FROM range(0, "
            + ROWS + ", 1, 100)\"}";

    /** The JDK client streams the body; RestAssured would buffer all ~280 MB of it first. */
    private static InputStream fetch(String accept) throws IOException {
        try {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/sql"))
                            .header("Content-Type", "application/json").header("Accept", accept)
                            .POST(HttpRequest.BodyPublishers.ofString(QUERY)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Test
    void tenMillionRowsAsJson() throws IOException {
        JsonResultStream.Summary result = JsonResultStream.read(fetch("application/json"),
                (i, row) -> assertEquals(i, row.getLongValue()));
        assertEquals(ROWS, result.rows());
        assertEquals(ROWS, result.rowCount());
        report("json");
    }

    @Test
    void tenMillionRowsAsArrow() throws IOException {
        long rows = 0;
        try (RootAllocator allocator = new RootAllocator();
             ArrowStreamReader reader = new ArrowStreamReader(fetch("application/vnd.apache.arrow.stream"), allocator)) {
            while (reader.loadNextBatch()) {
                rows += reader.getVectorSchemaRoot().getRowCount();
            }
        }
        assertEquals(ROWS, rows);
        report("arrow");
    }

    /** Prints the gateway's peak resident memory (VmHWM) for the record; fails only if it is absurd. */
    private static void report(String format) throws IOException {
        Optional<ProcessHandle> gateway = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar"))
                .findFirst();
        if (gateway.isEmpty()) {
            return;
        }
        Path status = Path.of("/proc", Long.toString(gateway.get().pid()), "status");
        if (!Files.exists(status)) {
            return;
        }
        String peak = Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?");
        System.out.printf("BoundedMemoryIT %s: %d rows at -Xmx128m, gateway %s%n", format, ROWS, peak.replaceAll("\\s+", " "));
        long kb = Long.parseLong(peak.replaceAll("[^0-9]", ""));
        assertTrue(kb < 1024 * 1024, "gateway peak RSS " + kb + " kB");
    }
}
