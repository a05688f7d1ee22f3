package dev.sparkgateway.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkgateway.docs.DocExamples;
import dev.sparkgateway.testing.RawHttp;
import dev.sparkgateway.testing.ShortTimeouts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of seeded requests over every endpoint the OpenAPI document lists (plus health,
 * metrics and unknown paths), with odd headers and bodies: mutations of the documented examples,
 * the inputs of issue #18, random bytes, huge numbers, deep nesting, long unicode. Fails on any
 * 5xx but the documented 503/504 (and the 502 of the one input whose Spark task fails), on stack
 * text in any body, and if the gateway is not ready afterwards. Short timeouts keep a mutated example from holding Spark or the spool for long.
 * {@code -Dfuzz.seed=N} replays a run, {@code -Dfuzz.requests=N} changes its size.
 */
@QuarkusTest
@TestProfile(ShortTimeouts.class)
class GatewayFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BODY_PREFIX = 256 * 1024;
    /** A JVM stack frame, raw or JSON-escaped, or the markers around one. */
    private static final Pattern STACK = Pattern.compile(
            "(\\\\t|\\t|\\\\n|\\n)\\s*at [\\w$.<>/-]+\\(|at (org|java|jdk|io|scala|sun|dev)\\.[\\w$.<>]+\\([\\w$]+\\.(java|scala):\\d+\\)"
                    + "|Driver stacktrace|Caused by: [\\w.]+(Exception|Error)");

    record Endpoint(String method, String path) {
    }

    record Outcome(String request, int status, String body) {
    }

    @Test
    void noRequestGetsAnUndocumented5xxOrAStackTrace() throws Exception {
        long seed = Long.getLong("fuzz.seed", 18L);
        int count = Integer.getInteger("fuzz.requests", 3000);
        Duration budget = Duration.ofSeconds(Long.getLong("fuzz.seconds", 60L));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI base = URI.create("http://127.0.0.1:" + RestAssured.port);

        JsonNode openapi = JSON.readTree(send(http, HttpRequest.newBuilder(base.resolve("/openapi?format=json")).build()).body);
        List<Endpoint> endpoints = endpoints(openapi);
        List<String> examples = examples(openapi);
        assertTrue(endpoints.size() >= 15, "too few endpoints in /openapi: " + endpoints);
        assertTrue(examples.size() >= 20, "too few documented examples: " + examples.size());
        List<String> ids = statementIds(http, base);

        Random random = new Random(seed);
        FuzzInputs inputs = new FuzzInputs(random);
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(Request.random(inputs, endpoints, examples, ids));
        }

        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<Outcome> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger noAnswer = new AtomicInteger();
        long deadline = System.nanoTime() + budget.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Request request : requests) {
                pool.execute(() -> {
                    if (System.nanoTime() > deadline) {
                        return;
                    }
                    HttpRequest built = request.raw() ? null : request.build(base);
                    Answer answer = built == null ? raw(request) : send(http, built);
                    sent.incrementAndGet();
                    if (answer == null) {
                        noAnswer.incrementAndGet();
                        return;
                    }
                    statuses.computeIfAbsent(answer.status, s -> new AtomicInteger()).incrementAndGet();
                    boolean taskFailure = answer.status == 502 && answer.body.contains("/problems/spark-internal")
                            && request.toString().contains(FuzzInputs.FAILS_IN_A_SPARK_TASK);
                    boolean undocumented = answer.status >= 500 && answer.status != 503 && answer.status != 504 && !taskFailure;
                    if (undocumented || STACK.matcher(answer.body).find()) {
                        failures.add(new Outcome(request.toString(), answer.status, cut(answer.body, 600)));
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(budget.toSeconds() + 120, TimeUnit.SECONDS), "requests still running after the budget");
        } finally {
            pool.shutdownNow();
        }
        String summary = "seed " + seed + " (-Dfuzz.seed=" + seed + "): " + sent + " of " + count + " requests sent, "
                + noAnswer + " without an answer, statuses " + new java.util.TreeMap<>(statuses);
        System.out.println("GatewayFuzzTest " + summary);
        assertEquals(List.of(), failures.stream().limit(15).toList(), summary + "; " + failures.size() + " failures, the first:");
        assertTrue(sent.get() >= Math.min(count, 500), "too few requests in the time budget: " + summary);
        awaitReady(http, base, summary);
    }

    /** Every (method, path) the OpenAPI document lists, plus the non-API paths clients can reach. */
    private static List<Endpoint> endpoints(JsonNode openapi) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openapi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase(java.util.Locale.ROOT);
                if (List.of("GET", "POST", "DELETE", "PUT").contains(method)) {
                    endpoints.add(new Endpoint(method, path.getKey()));
                }
            }
        }
        for (String path : List.of("/q/health/ready", "/q/health/live", "/q/metrics", "/openapi", "/v1/nothing", "/v1/sql/%ff",
                "/v1/statements/%00/result/chunks/x")) {
            endpoints.add(new Endpoint("GET", path));
        }
        endpoints.add(new Endpoint("PATCH", "/v1/sql"));
        return endpoints;
    }

    /** Request bodies the docs show: the curl examples of README and docs, and the OpenAPI examples. */
    private static List<String> examples(JsonNode openapi) throws IOException {
        List<String> examples = new ArrayList<>(FuzzInputs.KNOWN_CASES);
        for (String doc : List.of("README.md", "docs/dataframe-spec.md", "docs/statements.md", "docs/types.md", "docs/errors.md")) {
            for (DocExamples.Example example : DocExamples.read(Path.of(doc))) {
                examples.add(example.body());
            }
        }
        for (JsonNode example : openapi.findValues("examples")) {
            for (JsonNode value : example.findValues("value")) {
                examples.add(value.isTextual() ? value.asText() : value.toString());
            }
        }
        return examples;
    }

    /** A few real statement ids (finished, failed, running) for the statement paths. */
    private static List<String> statementIds(HttpClient http, URI base) {
        List<String> ids = new ArrayList<>(List.of("3f0c6a52-6d7e-4d4e-9a53-2b8f0c1d9e11", "x", "%2e%2e", "0".repeat(300)));
        for (String sql : List.of("SELECT id FROM range(10)", "SELECT 1 / 0", "SELECT count(*) FROM range(0, 100000000, 1, 4)")) {
            String body = "{\"sql\": \"" + sql + "\", \"waitTimeout\": 0.5}";
            Answer answer = send(http, HttpRequest.newBuilder(base.resolve("/v1/statements"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
            try {
                ids.add(JSON.readTree(answer.body).path("statementId").asText("missing"));
            } catch (IOException e) {
                ids.add("unparsable");
            }
        }
        return ids;
    }

    private record Answer(int status, String body) {
    }

    /** Sends with the JDK client, reading at most {@link #BODY_PREFIX} bytes; null when no answer came. */
    private static Answer send(HttpClient http, HttpRequest request) {
        if (request == null) {
            return null;
        }
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                return new Answer(response.statusCode(), new String(in.readNBytes(BODY_PREFIX), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Answer raw(Request request) {
        try {
            RawHttp.Response response = RawHttp.exchange(RestAssured.port, request.rawHead(), request.body(), BODY_PREFIX);
            return response.status() < 0 ? null : new Answer(response.status(), response.body());
        } catch (IOException e) {
            return null;
        }
    }

    private static void awaitReady(HttpClient http, URI base, String summary) {
        AtomicReference<Answer> ready = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                ready.set(send(http, HttpRequest.newBuilder(base.resolve("/q/health/ready")).timeout(Duration.ofSeconds(10)).build()));
                return ready.get() != null && ready.get().status == 200;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the gateway is not ready after the fuzz run (" + summary + "): "
                    + (ready.get() == null ? "no answer" : ready.get().status + " " + ready.get().body), e);
        }
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    /** One fuzzed request, decided up front so a seed replays the same requests. */
    record Request(String method, String path, List<String[]> headers, byte[] body, boolean raw, List<byte[]> oddHeaders) {

        static Request random(FuzzInputs in, List<Endpoint> endpoints, List<String> examples, List<String> ids) {
            Endpoint endpoint = in.pick(endpoints);
            String path = endpoint.path().replace("{id}", in.pick(ids)).replace("{index}", in.pick(List.of("0", "1", "-1", "99999999999", "x")))
                    + in.query();
            List<String[]> headers = new ArrayList<>();
            if (in.chance(0.8)) {
                headers.add(new String[] {"Content-Type", in.chance(0.1) ? in.randomText(8) : in.pick(FuzzInputs.CONTENT_TYPES)});
            }
            if (in.chance(0.5)) {
                headers.add(new String[] {"Accept", in.chance(0.1) ? in.randomText(8) : in.pick(FuzzInputs.ACCEPTS)});
            }
            if (in.chance(0.2)) {
                headers.add(new String[] {"Idempotency-Key", in.pick(List.of("k-" + in.nextInt(20), "", " ", "x".repeat(2000), in.randomText(20)))});
            }
            if (in.chance(0.2)) {
                headers.add(new String[] {"X-Request-Id", in.pick(List.of("req-1", "", "x".repeat(500), in.randomText(10), "a b", "../../etc"))});
            }
            byte[] body = body(in, endpoint, examples);
            boolean raw = in.chance(0.15);
            List<byte[]> odd = new ArrayList<>();
            if (raw) {
                for (String name : List.of("Content-Type", "Accept", "Idempotency-Key", "X-Request-Id")) {
                    if (in.chance(0.4)) {
                        ByteArrayOutputStream header = new ByteArrayOutputStream();
                        header.writeBytes(FuzzInputs.utf8(name + ": "));
                        header.writeBytes(in.oddHeaderBytes());
                        odd.add(header.toByteArray());
                    }
                }
            }
            return new Request(endpoint.method(), path, headers, body, raw, odd);
        }

        private static byte[] body(FuzzInputs in, Endpoint endpoint, List<String> examples) {
            if (!endpoint.method().equals("POST") && in.chance(0.9)) {
                return new byte[0];
            }
            int kind = in.nextInt(20);
            if (kind == 0) {
                return in.randomBytes(in.nextInt(3000));
            }
            if (kind == 1) {
                int depth = 500 + in.nextInt(20_000);
                return FuzzInputs.utf8(in.chance(0.5) ? "[".repeat(depth) + "]".repeat(depth)
                        : "{\"sql\": " + "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth + 1));
            }
            if (kind == 2) {
                return FuzzInputs.utf8("{\"sql\": \"SELECT " + "9".repeat(1 + in.nextInt(5000)) + "\", \"limit\": " + "9".repeat(1 + in.nextInt(400)) + "}");
            }
            if (kind < 6) {
                return FuzzInputs.utf8(in.pick(examples));
            }
            return FuzzInputs.utf8(in.mutate(in.pick(examples)));
        }

        /** The JDK client's request; null when it refuses a header value or the path (those go raw instead). */
        HttpRequest build(URI base) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                        .method(method, body.length == 0 && !method.equals("POST") ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
                for (String[] header : headers) {
                    request.header(header[0], header[1]);
                }
                return request.build();
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        byte[] rawHead() {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes(FuzzInputs.utf8(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length + "\r\n"));
            for (String[] header : headers) {
                head.writeBytes(FuzzInputs.utf8(header[0] + ": " + header[1].replace('\r', ' ').replace('\n', ' ') + "\r\n"));
            }
            for (byte[] header : oddHeaders) {
                head.writeBytes(header);
                head.writeBytes(FuzzInputs.utf8("\r\n"));
            }
            head.writeBytes(FuzzInputs.utf8("\r\n"));
            return head.toByteArray();
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(method).append(' ').append(cut(path, 200)).append(raw ? " (raw)" : "");
            for (String[] header : headers) {
                s.append(" [").append(header[0]).append(": ").append(cut(header[1], 80)).append(']');
            }
            s.append(" +").append(oddHeaders.size()).append(" odd headers, body ")
                    .append(cut(new String(body, StandardCharsets.UTF_8), 300));
            return s.toString();
        }
    }
}
