package dev.sparkgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the Node and Python examples of docs/clients.md against the packaged gateway and checks
 * that they print exactly the rows {@code POST /v1/sql} returns as JSON. Like GoClientIT, a
 * missing node, npm or python3 fails the build, naming what to install.
 */
@QuarkusIntegrationTest
class ExamplesIT {

    private static final Path NODE_DIR = Path.of("examples", "node").toAbsolutePath();
    private static final Path PYTHON_DIR = Path.of("examples", "python").toAbsolutePath();
    private static final long TIMEOUT_MINUTES = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Three partitions (several Arrow batches), NULLs, and quoted CSV fields holding a comma, quotes
     * and a CRLF; ~80 kB of CSV, so some CRLFs fall across the reader's buffer boundaries.
     */
    private static final String QUERY = "SELECT id, CAST(id * id AS STRING) AS sq,"
            + " CASE WHEN id % 7 = 0 THEN NULL ELSE concat('r', id, ',', char(13), char(10), '\"q\"') END AS s"
            + " FROM range(0, 3000, 1, 3)";

    private static List<JsonNode> expected;

    private static Map<String, String> env() {
        return Map.of("GATEWAY_URL", "http://localhost:" + RestAssured.port);
    }

    /** RestAssured.port is only set once a test runs, so this cannot be a @BeforeAll. */
    @BeforeEach
    void rowsAsTheGatewayReturnsThem() throws IOException, InterruptedException {
        if (expected != null) {
            return;
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/sql"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("sql", QUERY)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(response.body()).get("rows").forEach(rows::add);
        assertEquals(3000, rows.size());
        expected = List.copyOf(rows);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "ndjson"})
    void pythonPrintsTheRows(String format) throws IOException, InterruptedException {
        ExternalTool.Run run = python().run(PYTHON_DIR, env(), TIMEOUT_MINUTES, "stream.py", format, QUERY);
        assertEquals(0, run.exitCode(), "stream.py " + format + " failed (output above)");
        assertEquals(expected, parse(run.lines("row")));
        assertEquals(List.of("3000"), run.lines("rows"));
        assertEquals(List.of("[{\"name\": \"id\", \"type\": \"bigint\", \"nullable\": false},"
                + " {\"name\": \"sq\", \"type\": \"string\", \"nullable\": false},"
                + " {\"name\": \"s\", \"type\": \"string\", \"nullable\": true}]"), run.lines("schema"));
    }

    @Test
    void pythonReadsCsvWithCrlfInsideQuotedFields() throws IOException, InterruptedException {
        ExternalTool.Run run = python().run(PYTHON_DIR, env(), TIMEOUT_MINUTES, "stream.py", "csv", QUERY);
        assertEquals(0, run.exitCode(), "stream.py csv failed (output above)");
        assertEquals(List.of("[\"id\", \"sq\", \"s\"]"), run.lines("header"));
        // CSV is text, and SQL NULL is an empty field.
        List<JsonNode> asText = expected.stream().map(row -> {
            ArrayNode text = JsonNodeFactory.instance.arrayNode();
            row.forEach(v -> text.add(v.isNull() ? "" : v.asText()));
            return (JsonNode) text;
        }).toList();
        assertEquals(asText, parse(run.lines("row")));
        assertTrue(asText.get(1).get(2).asText().contains("\r\n"), "the data holds CRLFs");
    }

    @Test
    void nodeReadsTheArrowStream() throws IOException, InterruptedException {
        ExternalTool.Run run = node().run(NODE_DIR, env(), TIMEOUT_MINUTES, "arrow.mjs", QUERY);
        assertEquals(0, run.exitCode(), "arrow.mjs failed (output above)");
        assertEquals(expected, parse(run.lines("row")));
        String summary = run.lines("rows").get(0);
        assertTrue(summary.matches("3000 in \\d+ batches"), summary);
        assertTrue(run.lines("schema").get(0).contains("{\"name\":\"id\",\"type\":\"Int64\"}"), run.lines("schema").toString());
    }

    /** apache-arrow with decoders registered reads the gateway's compressed batches (docs/compression.md). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"zstd", "lz4"})
    void nodeReadsACompressedArrowStream(String codec) throws IOException, InterruptedException {
        Map<String, String> env = new java.util.HashMap<>(env());
        env.put("ARROW_CODEC", codec);
        ExternalTool.Run run = node().run(NODE_DIR, env, TIMEOUT_MINUTES, "arrow.mjs", QUERY);
        assertEquals(0, run.exitCode(), "arrow.mjs with ARROW_CODEC=" + codec + " failed (output above)");
        assertEquals(expected, parse(run.lines("row")));
    }

    @Test
    void nodeFollowsProgressOverServerSentEvents() throws IOException, InterruptedException {
        // Four tasks that sleep 2.5 s each on a two-core Spark: about 5 s, so Spark reports task
        // progress (every 2 s) before the end.
        String slow = "SELECT id, reflect('java.lang.Thread', 'sleep', CAST(2500 AS BIGINT)) AS slept FROM range(0, 4, 1, 4)";
        ExternalTool.Run run = node().run(NODE_DIR, env(), TIMEOUT_MINUTES, "progress.mjs", slow);
        assertEquals(0, run.exitCode(), "progress.mjs failed (output above)");
        assertTrue(run.output().get(0).startsWith("submitted "), run.output().get(0));
        List<String> events = run.output().stream().filter(l -> l.startsWith("state ") || l.startsWith("progress ")).toList();
        assertFalse(events.isEmpty(), "no events printed");
        assertTrue(events.get(events.size() - 1).startsWith("state SUCCEEDED tasks "), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.matches("(state|progress) RUNNING tasks \\d+/[1-9]\\d* stages [1-9]\\d*")),
                "no task progress while RUNNING: " + events);
        // reflect gives the method's result as a string: "null" for the void Thread.sleep.
        assertEquals(List.of("[0,\"null\"]", "[1,\"null\"]", "[2,\"null\"]", "[3,\"null\"]"), run.lines("row"));
        assertEquals(List.of("4 in 1 chunks"), run.lines("rows"));
    }

    /**
     * Node's fetch labels a string body without a Content-Type {@code text/plain;charset=UTF-8}, so
     * the shortest call, {@code fetch(url, {method: 'POST', body: JSON.stringify({sql})})}, sends JSON
     * as text; SQL never starts with '{', so the gateway reads such a body as JSON.
     */
    @Test
    void nodeFetchWithoutContentTypeStillSendsJson() throws IOException, InterruptedException {
        String script = "const r = await fetch(process.env.GATEWAY_URL + '/v1/sql',"
                + " {method: 'POST', body: JSON.stringify({sql: 'SELECT 1 AS one'})});"
                + " console.log('status', r.status); console.log('body', await r.text());";
        ExternalTool.Run run = node().run(NODE_DIR, env(), TIMEOUT_MINUTES, "--input-type=module", "-e", script);
        assertEquals(0, run.exitCode(), "node -e failed (output above)");
        assertEquals(List.of("200"), run.lines("status"), run.output().toString());
        assertEquals(JSON.readTree("[[1]]"), JSON.readTree(run.lines("body").get(0)).get("rows"));
    }

    private static List<JsonNode> parse(List<String> lines) {
        return lines.stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    private static ExternalTool python() {
        return ExternalTool.require("python3", "sudo apt-get install -y python3");
    }

    /** node, with examples/node's pinned packages installed from package-lock.json if missing. */
    private static synchronized ExternalTool node() throws IOException, InterruptedException {
        ExternalTool node = ExternalTool.require("node", "sudo apt-get install -y nodejs npm  (Node 20+)");
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules"))) {
            ExternalTool npm = ExternalTool.require("npm", "sudo apt-get install -y npm");
            assertEquals(0, npm.run(NODE_DIR, env(), TIMEOUT_MINUTES, "ci", "--prefer-offline", "--no-audit", "--no-fund").exitCode(),
                    "npm ci in examples/node failed (output above)");
        }
        return node;
    }
}
