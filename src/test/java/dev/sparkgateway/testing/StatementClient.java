package dev.sparkgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.session.SessionPool;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The statement API over the JDK HTTP client (RestAssured buffers whole bodies and cannot read
 * SSE as it arrives), plus the checks tests share.
 */
public final class StatementClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public StatementClient(URI base) {
        this.base = base;
    }

    public HttpResponse<byte[]> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpClient http() {
        return http;
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    /** POST /v1/statements; returns the body after checking the status. */
    public JsonNode submit(int expectedStatus, String body, String... headers) {
        return json(expectedStatus, send("POST", "/v1/statements", body, headers));
    }

    public JsonNode get(String id) {
        return json(200, send("GET", "/v1/statements/" + id, null));
    }

    public JsonNode delete(String id) {
        return json(200, send("DELETE", "/v1/statements/" + id, null));
    }

    public HttpResponse<byte[]> chunk(String id, int index, String accept) {
        return send("GET", "/v1/statements/" + id + "/result/chunks/" + index, null, "Accept", accept);
    }

    /** Polls until the statement is in {@code state}; the failure shows the statement as last seen. */
    public JsonNode awaitState(String id, String state, Duration timeout) {
        return poll(id, timeout, s -> s.path("state").asText().equals(state), "did not reach " + state);
    }

    /**
     * Polls until Spark reports tasks for the statement: its job runs. Cancel only then where the
     * test needs Spark idle afterwards: Spark 4.0 may still submit a job for an operation
     * interrupted while it was being planned (adaptive execution), and that job then runs to its end.
     */
    public JsonNode awaitTasks(String id, Duration timeout) {
        return poll(id, timeout, s -> s.at("/progress/totalTasks").asLong() > 0, "reported no tasks");
    }

    /**
     * GETs the statement every 100 ms until {@code done} holds for it and returns that GET's body;
     * fails with the statement as last seen. A GET that is not 200 fails at once.
     */
    private JsonNode poll(String id, Duration timeout, Predicate<JsonNode> done, String failure) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> get(id), s -> {
                last.set(s);
                return done.test(s);
            });
        } catch (ConditionTimeoutException e) {
            fail("statement " + id + " " + failure + " within " + timeout + ": " + last.get());
        }
        return last.get();
    }

    public static JsonNode json(int expectedStatus, HttpResponse<byte[]> response) {
        String text = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(expectedStatus, response.statusCode(), text);
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return fail("not JSON: " + text);
        }
    }

    /** Waits until no session is leased, then checks that no operation still runs in any pooled session. */
    public static void assertNothingRunsInSpark(SessionPool pool, SparkConnectClient client) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertEquals(0, pool.stats().inUse(), "a session is still leased: " + pool.stats()));
        // A cancel path gives the session back and interrupts asynchronously: wait for Spark's confirmation.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertEquals(0, client.interruptsInFlight(), "interrupts Spark has not confirmed"));
        for (ConnectSession session : pool.idleSessions()) {
            try {
                // Less the orphan sweeps after earlier interrupts: each runs a moment under its operation's id.
                List<String> running = new java.util.ArrayList<>(client.interruptAll(session));
                running.removeAll(client.sweeping());
                assertEquals(List.of(), running, "an operation still ran in " + session);
            } catch (SparkException e) {
                // An idle session that an earlier test closed on the server runs nothing either.
                assertTrue(e.isStaleSession(), e.getMessage());
            }
        }
    }
}
