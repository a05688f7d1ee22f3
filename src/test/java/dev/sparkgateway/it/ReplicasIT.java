package dev.sparkgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.testing.GatewayProcess;
import dev.sparkgateway.testing.LoadBalancer;
import dev.sparkgateway.testing.PostgresServer;
import dev.sparkgateway.testing.SparkConnectTestResource;
import dev.sparkgateway.testing.StatementClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gateway replicas as production runs them: packaged gateways in JVMs of their own, sharing a spool
 * parent and (for the PostgreSQL store) a real PostgreSQL, behind a real round-robin balancer
 * (haproxy), all against the suite's shared Spark Connect server. Scenarios send their requests to
 * {@link #balancer}; {@link #replicas} reach one replica (its metrics, its log, kill -9).
 */
class ReplicasIT {

    private static final int REPLICAS = 2;

    @TempDir
    static Path work;

    static PostgresServer postgres;
    static final List<GatewayProcess> replicas = new ArrayList<>();
    static LoadBalancer balancer;

    @BeforeAll
    static void startReplicas() throws Exception {
        long t0 = System.nanoTime();
        postgres = PostgresServer.start();
        long t1 = System.nanoTime();
        int spark = SparkConnectTestResource.port();
        long t2 = System.nanoTime();
        Path logs = Path.of("target", "ReplicasIT");
        // The replicas start side by side: each JVM's start-up is mostly single-threaded.
        List<CompletableFuture<GatewayProcess>> starting = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            String name = "replica-" + i;
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return GatewayProcess.start(name, logs, spark, replicaSettings());
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }));
        }
        try {
            for (CompletableFuture<GatewayProcess> replica : starting) {
                replicas.add(replica.join());
            }
        } finally {
            // A replica that started while another failed is still stopped.
            starting.forEach(f -> f.thenAccept(r -> {
                if (!replicas.contains(r)) {
                    r.close();
                }
            }));
        }
        balancer = LoadBalancer.start(replicas.stream().map(GatewayProcess::backend).toList());
        for (GatewayProcess replica : replicas) {
            balancer.awaitStatus(replica.name(), "UP", Duration.ofSeconds(10));
        }
        long t3 = System.nanoTime();
        System.out.printf("ReplicasIT: PostgreSQL %d on port %d in %d ms, Spark in %d ms, %d replicas behind haproxy on port %d in %d ms%n",
                postgres.pid(), postgres.port(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, REPLICAS, balancer.port(),
                (t3 - t2) / 1_000_000);
    }

    /** What every replica is started with: the shared spool parent, chunks small enough to be many. */
    static Map<String, String> replicaSettings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("gateway.statements.spool-dir", work.resolve("spool").toString());
        settings.put("gateway.statements.chunk-size", "256K");
        return settings;
    }

    @AfterAll
    static void stopReplicas() {
        if (balancer != null) {
            balancer.close();
        }
        replicas.forEach(GatewayProcess::close);
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void postgresAnswersOnItsPort() throws Exception {
        assertEquals("1", postgres.psql("SELECT 1"));
        assertEquals(postgres.database() + " " + postgres.user(), postgres.psql("SELECT current_database() || ' ' || current_user"));
        assertEquals("off", postgres.psql("SHOW fsync"), "the test settings apply");
        assertTrue(postgres.jdbcUrl().endsWith(":" + postgres.port() + "/" + postgres.database()), postgres.jdbcUrl());
    }

    @Test
    void sqlThroughTheBalancerIsServedByEveryReplica() throws Exception {
        int requests = 3 * REPLICAS;
        double[] before = new double[REPLICAS];
        for (int i = 0; i < REPLICAS; i++) {
            before[i] = sqlRequests(replicas.get(i));
        }
        StatementClient api = balancer.api();
        for (int n = 0; n < requests; n++) {
            JsonNode result = StatementClient.json(200, api.send("POST", "/v1/sql", "{\"sql\": \"SELECT " + n + " AS n\"}"));
            assertEquals(n, result.at("/rows/0/0").asInt(), result.toString());
        }
        double served = 0;
        for (int i = 0; i < REPLICAS; i++) {
            double mine = sqlRequests(replicas.get(i)) - before[i];
            assertTrue(mine >= 1, replicas.get(i).name() + " served no request of " + requests + "; balancer: " + balancer.stats());
            served += mine;
        }
        assertEquals(requests, served, "every request was served once");
        balancer.stats().values().forEach(s -> assertTrue(s.requests() > 0, "balancer stats: " + s));
    }

    /**
     * What a test of replica loss relies on: once a replica stops listening (as after kill -9), new
     * requests go to the others, at once by retry and soon by its failed check. A server on a port
     * where nothing listens stands for the dead replica.
     */
    @Test
    void requestsSkipAReplicaThatStoppedListening() throws Exception {
        LoadBalancer.Backend gone = new LoadBalancer.Backend("gone", "127.0.0.1", SparkConnectTestResource.freePort());
        try (LoadBalancer withADeadOne = LoadBalancer.start(List.of(gone, replicas.get(0).backend()))) {
            StatementClient api = withADeadOne.api();
            for (int n = 0; n < 4; n++) {
                StatementClient.json(200, api.send("POST", "/v1/sql", "{\"sql\": \"SELECT 1 AS one\"}"));
            }
            withADeadOne.awaitStatus("gone", "DOWN", Duration.ofSeconds(5));
            assertTrue(withADeadOne.stats().get(replicas.get(0).name()).status().startsWith("UP"), withADeadOne.stats().toString());
        }
    }

    private static double sqlRequests(GatewayProcess replica) throws Exception {
        return replica.metricSum("http_server_requests_seconds_count", "uri=\"/v1/sql\"");
    }
}
