package dev.sparkgateway.front;

import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.connect.ConnectEndpoint;
import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.connect.ExecuteOptions;
import dev.sparkgateway.connect.Execution;
import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.connect.SparkConnectConfig;
import dev.sparkgateway.connect.SparkEndpoints;
import dev.sparkgateway.session.PoolConfig;
import dev.sparkgateway.session.SessionPool;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.AnalyzePlanResponse;
import org.apache.spark.connect.proto.Plan;
import io.quarkus.runtime.configuration.MemorySize;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The front's session bookkeeping: ownership, creation once and marked, caps, idle release. */
class FrontSessionsTest {

    static final Principal ANA = new Principal("ana", "ana_spark", Set.of("analyst"));
    static final Principal BEN = new Principal("ben", "ben", Set.of("analyst"));
    static final Principal OPS = new Principal("ops", "ops", Set.of("admin"));

    /** Records the session calls; the extension is loaded, so restricted sessions can be marked. */
    static final class Recorder implements SparkConnectClient {
        final List<String> calls = new CopyOnWriteArrayList<>();

        public void setConf(ConnectSession s, Map<String, String> conf) { calls.add("set " + s.sessionId() + " " + new java.util.TreeMap<>(conf)); }
        public Map<String, Optional<String>> getConf(ConnectSession s, List<String> keys) {
            return Map.of("spark.sql.extensions", Optional.of("dev.sparkgateway.policy.GatewayPolicyExtensions"));
        }
        public void releaseSession(ConnectSession s) { calls.add("release " + s.sessionId()); }
        public Execution execute(ConnectSession s, Plan plan, ExecuteOptions options) { throw new UnsupportedOperationException(); }
        public List<String> interrupt(ConnectSession s, String operationId) { throw new UnsupportedOperationException(); }
        public List<String> interruptAll(ConnectSession s) { throw new UnsupportedOperationException(); }
        public AnalyzePlanResponse analyze(ConnectSession s, AnalyzePlanRequest.Builder request) { throw new UnsupportedOperationException(); }
        public String sparkVersion(ConnectSession s) { return "4.0.0"; }
        public String sparkVersion(ConnectSession s, Duration deadline) { return "4.0.0"; }
        public long reattaches() { return 0; }
        public String endpoint() { return "test"; }
    }

    final Recorder client = new Recorder();

    private FrontSessions sessions(int maxSessions, int maxOperations, Duration idle) {
        PoolConfig pool = new PoolConfig() {
            public int minIdle() { return 0; }
            public int maxSessions() { return 4; }
            public int maxTotalSessions() { return 16; }
            public Duration idleTimeout() { return Duration.ofMinutes(10); }
            public Duration borrowTimeout() { return Duration.ofMillis(50); }
            public Duration maintenanceInterval() { return Duration.ofSeconds(5); }
        };
        SparkConnectConfig spark = new SparkConnectConfig() {
            public Optional<String> url() { return Optional.empty(); }
            public Optional<String> token() { return Optional.empty(); }
            public Map<String, Endpoint> endpoints() { return Map.of(); }
            public String userId() { return "gateway"; }
            public int maxInboundMessageBytes() { return 1 << 20; }
            public Duration controlTimeout() { return Duration.ofSeconds(1); }
            public int maxAttempts() { return 1; }
            public Duration initialBackoff() { return Duration.ofMillis(1); }
            public Duration shutdownSweeps() { return Duration.ZERO; }
        };
        ConnectFrontConfig front = new ConnectFrontConfig() {
            public boolean enabled() { return true; }
            public int port() { return 0; }
            public Optional<String> host() { return Optional.empty(); }
            public Optional<Path> tlsCertFile() { return Optional.empty(); }
            public Optional<Path> tlsKeyFile() { return Optional.empty(); }
            public Duration sessionIdleTimeout() { return idle; }
            public int maxSessionsPerPrincipal() { return maxSessions; }
            public int maxOperationsPerPrincipal() { return maxOperations; }
            public MemorySize streamBuffer() { return new MemorySize(java.math.BigInteger.valueOf(8 << 20)); }
            public java.util.OptionalInt eventLoops() { return java.util.OptionalInt.empty(); }
        };
        return new FrontSessions(new SessionPool(client, pool, spark, SparkEndpoints.single(ConnectEndpoint.local(15002))), client, front);
    }

    @Test
    void aSessionIsCreatedOnceMarkedForItsOwnerAndNotFoundForAnyoneElse() {
        FrontSessions sessions = sessions(0, 0, Duration.ofMinutes(30));
        FrontSessions.Entry first = sessions.admit(ANA, "s1");
        assertSame(first, sessions.admit(ANA, "s1"));
        ConnectSession connect = FrontSessions.connect(first);
        assertEquals("ana_spark", connect.userId());
        assertEquals(List.of("set s1 {spark.sparkgateway.policy.restricted=true, spark.sparkgateway.user=ana_spark}"), client.calls,
                "prepared once, with the restricted mark");
        for (Principal other : List.of(BEN, OPS)) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> sessions.admit(other, "s1"));
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        }
        sessions.admit(OPS, "s2");
        assertEquals("set s2 {spark.sparkgateway.user=ops}", client.calls.get(1), "an admin's session is not marked");
    }

    @Test
    void capsBoundSessionsAndExecutionsPerPrincipal() {
        FrontSessions sessions = sessions(2, 1, Duration.ofMinutes(30));
        FrontSessions.Entry a = sessions.admit(ANA, "a1");
        sessions.admit(ANA, "a2");
        StatusRuntimeException full = assertThrows(StatusRuntimeException.class, () -> sessions.admit(ANA, "a3"));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getStatus().getCode());
        sessions.admit(BEN, "b1");
        assertTrue(sessions.startOperation(ANA, a));
        assertFalse(sessions.startOperation(ANA, a), "one execution at a time");
        sessions.endOperation(ANA, a);
        assertTrue(sessions.startOperation(ANA, a));
        sessions.released("a2");
        sessions.admit(ANA, "a3");
    }

    @Test
    void idleSessionsAreReleasedButNotWhileAnExecutionRuns() {
        FrontSessions sessions = sessions(0, 0, Duration.ZERO);
        FrontSessions.Entry busy = sessions.admit(ANA, "busy");
        sessions.admit(ANA, "idle");
        assertTrue(sessions.startOperation(ANA, busy));
        sessions.releaseIdle();
        assertTrue(client.calls.contains("release idle"), client.calls.toString());
        assertFalse(client.calls.contains("release busy"), client.calls.toString());
        assertEquals(1, sessions.size());
        sessions.endOperation(ANA, busy);
        sessions.releaseIdle();
        assertTrue(client.calls.contains("release busy"), client.calls.toString());
        assertEquals(0, sessions.size());
    }
}
