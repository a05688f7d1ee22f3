package dev.sparkgateway.statement;

import dev.sparkgateway.testing.ServerSentEvents;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.testing.ConfigOverrides;
import dev.sparkgateway.testing.StatementApiTest;
import dev.sparkgateway.testing.StatementClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finished statements never lock out new ones: a full store evicts the oldest finished statements
 * (their ids then say so), and running ones are never evicted. max-stored is lowered so that
 * eviction happens many times; the number of failing submits is the issue's. Waiting for a
 * statement holds no worker thread: the worker pool is small here, and more wait than it has.
 */
@QuarkusTest
@TestProfile(StatementSlotsTest.Small.class)
class StatementSlotsTest extends StatementApiTest {

    static final int STORED = 100;
    static final int WORKERS = 8;
    private static final String FAILING = "{\"sql\": \"SELECT * FROM no_such_table\", \"waitTimeout\": 30}";

    public static class Small extends ConfigOverrides {
        public Small() {
            super(Map.of("gateway.statements.max-stored", Integer.toString(STORED),
                    "quarkus.thread-pool.max-threads", Integer.toString(WORKERS)));
        }
    }

    @Test
    void twoThousandFailingSubmitsDoNotLockOutAGoodOne() throws Exception {
        long start = System.nanoTime();
        // Four callers at once, as a busy client would send them; ids in the order they finished.
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> submits = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                submits.add(callers.submit(() -> {
                    JsonNode statement = api.submit(200, FAILING);
                    assertEquals("FAILED", statement.get("state").asText(), statement.toString());
                    failed.add(statement.get("statementId").asText());
                }));
            }
            for (Future<?> submit : submits) {
                submit.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        JsonNode good = api.submit(200, "{\"sql\": \"SELECT 42 AS answer\", \"waitTimeout\": 30}");
        assertEquals("SUCCEEDED", good.get("state").asText(), good.toString());
        assertEquals("[[42]]", good.at("/result/inline/rows").toString());
        assertEquals("answer\r\n42\r\n", new String(api.chunk(good.get("statementId").asText(), 0, "text/csv").body(),
                StandardCharsets.UTF_8));
        System.out.printf("StatementSlotsTest: 2000 failing submits in %d s, then a good one accepted%n", seconds);

        assertTrue(held() <= STORED, "held: " + statements.counts());
        JsonNode evicted = StatementClient.json(404, api.send("GET", "/v1/statements/" + failed.get(0), null));
        assertEquals("/problems/not-found", evicted.get("type").asText());
        assertTrue(evicted.get("detail").asText().contains("evicted"), evicted.toString());
        assertTrue(evicted.get("detail").asText().contains("max-stored"), evicted.toString());
        // Oldest first: the latest failures are still there.
        assertEquals("FAILED", api.get(failed.get(failed.size() - 1)).get("state").asText());
    }

    @Test
    void aRunningStatementIsNeverEvicted() throws Exception {
        String slow = api.submit(202, "{\"sql\": \"" + StatementLifecycleTest.SLOW_QUERY + "\", \"waitTimeout\": 0}")
                .get("statementId").asText();
        try {
            String first = null;
            for (int i = 0; i < STORED + 5; i++) {
                String id = api.submit(200, FAILING).get("statementId").asText();
                first = first == null ? id : first;
            }
            String state = api.get(slow).get("state").asText();
            assertTrue(state.equals("RUNNING") || state.equals("PENDING"), state);
            JsonNode evicted = StatementClient.json(404, api.send("GET", "/v1/statements/" + first, null));
            assertTrue(evicted.get("detail").asText().contains("evicted"), evicted.toString());
        } finally {
            api.delete(slow);
        }
        assertEquals("CANCELED", api.get(slow).get("state").asText());
        assertNothingRunsInSpark();
    }

    @Test
    void deleteOfAFinishedStatementFreesItsPlaceAndItsSpool() {
        String id = api.submit(200, "{\"sql\": \"SELECT id FROM range(10)\", \"waitTimeout\": 30}").get("statementId").asText();
        assertTrue(java.nio.file.Files.isDirectory(statements.spoolDirectory().resolve(id)), "spooled");
        long before = held();
        assertEquals("CLOSED", api.delete(id).get("state").asText());
        assertEquals(before - 1, held());
        assertTrue(!java.nio.file.Files.exists(statements.spoolDirectory().resolve(id)), "its chunks are deleted");
        JsonNode gone = StatementClient.json(404, api.send("GET", "/v1/statements/" + id, null));
        assertTrue(gone.get("detail").asText().contains("deleted (DELETE)"), gone.toString());
        StatementClient.json(404, api.chunk(id, 0, "text/csv"));
        // A failed one goes the same way (it keeps its state in the answer).
        String failed = api.submit(200, FAILING).get("statementId").asText();
        assertEquals("FAILED", api.delete(failed).get("state").asText());
        StatementClient.json(404, api.send("GET", "/v1/statements/" + failed, null));
    }

    @Test
    void waitingSubmitsAndListenersHoldNoWorkerThread() throws Exception {
        String key = UUID.randomUUID().toString();
        String id = api.submit(202, slow(0), "Idempotency-Key", key).get("statementId").asText();
        int waiters = WORKERS + 4;
        ExecutorService readers = Executors.newFixedThreadPool(waiters, r -> {
            Thread t = new Thread(r, "sse-reader");
            t.setDaemon(true);
            return t;
        });
        List<CompletableFuture<HttpResponse<byte[]>>> submits = new ArrayList<>();
        List<Future<?>> listeners = new ArrayList<>();
        try {
            // The same key: each submit waits for the one statement instead of starting another.
            for (int i = 0; i < waiters; i++) {
                submits.add(api.http().sendAsync(HttpRequest.newBuilder(api.uri("/v1/statements"))
                        .header("Content-Type", "application/json").header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(slow(120))).build(), HttpResponse.BodyHandlers.ofByteArray()));
            }
            CountDownLatch listening = new CountDownLatch(waiters);
            for (int i = 0; i < waiters; i++) {
                listeners.add(readers.submit(() -> listen(id, listening)));
            }
            assertTrue(listening.await(30, TimeUnit.SECONDS), "every listener got its first event");
            // More waiting than there are worker threads, and requests that need one (but not Spark, which
            // is busy with the slow statement) are served.
            assertEquals("RUNNING", api.get(id).get("state").asText());
            StatementClient.json(400, api.send("POST", "/v1/statements", "{\"waitTimeout\": 0}"));
            assertTrue(submits.stream().noneMatch(CompletableFuture::isDone), "the submits still wait");
        } finally {
            api.delete(id);
            readers.shutdown();
        }
        for (CompletableFuture<HttpResponse<byte[]>> submit : submits) {
            assertEquals("CANCELED", StatementClient.json(200, submit.get(30, TimeUnit.SECONDS)).get("state").asText());
        }
        for (Future<?> listener : listeners) {
            listener.get(30, TimeUnit.SECONDS);
        }
        assertNothingRunsInSpark();
    }

    private static String slow(int waitSeconds) {
        return "{\"sql\": \"" + StatementLifecycleTest.SLOW_QUERY + "\", \"waitTimeout\": " + waitSeconds + "}";
    }

    /** Reads the statement's events to their end, counting down at the first. */
    private Void listen(String id, CountDownLatch listening) throws Exception {
        HttpResponse<InputStream> stream = api.http().send(HttpRequest.newBuilder(api.uri("/v1/statements/" + id + "/events"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        AtomicBoolean first = new AtomicBoolean(true);
        ServerSentEvents.read(stream.body(), event -> {
            if (first.getAndSet(false)) {
                listening.countDown();
            }
        });
        return null;
    }
}
