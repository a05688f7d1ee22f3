package dev.sparkgateway.session;

import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.connect.Execution;
import dev.sparkgateway.connect.ExecuteOptions;
import dev.sparkgateway.connect.ConnectEndpoint;
import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.connect.SparkEndpoint;
import dev.sparkgateway.connect.SparkEndpoints;
import dev.sparkgateway.connect.SparkConnectConfig;
import dev.sparkgateway.error.LimitExceededException;
import dev.sparkgateway.error.UnavailableException;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.AnalyzePlanResponse;
import org.apache.spark.connect.proto.Plan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool's bookkeeping: per-user and global caps, users never sharing a session, restricted sessions marked first. */
class SessionPoolTest {

    /** Records the Config calls the pool makes; everything else is unused by the pool's lending. */
    static final class ConfigRecorder implements SparkConnectClient {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile String extensions = SessionPolicy.EXTENSION;

        @Override
        public void setConf(ConnectSession session, Map<String, String> conf) {
            calls.add("set " + session.userId() + " " + conf);
        }

        @Override
        public Map<String, Optional<String>> getConf(ConnectSession session, List<String> keys) {
            calls.add("get " + session.userId() + " " + keys);
            return Map.of("spark.sql.extensions", Optional.ofNullable(extensions));
        }

        @Override
        public void releaseSession(ConnectSession session) {
            calls.add("release " + session.userId());
        }

        @Override
        public Execution execute(ConnectSession session, Plan plan, ExecuteOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> interrupt(ConnectSession session, String operationId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> interruptAll(ConnectSession session) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AnalyzePlanResponse analyze(ConnectSession session, AnalyzePlanRequest.Builder request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String sparkVersion(ConnectSession session) {
            return "4.0.0";
        }

        @Override
        public String sparkVersion(ConnectSession session, Duration deadline) {
            return "4.0.0";
        }

        @Override
        public long reattaches() {
            return 0;
        }

        @Override
        public String endpoint() {
            return "test";
        }
    }

    private static PoolConfig sizes(int perUser, int total) {
        return new PoolConfig() {
            public int minIdle() { return 0; }
            public int maxSessions() { return perUser; }
            public int maxTotalSessions() { return total; }
            public Duration idleTimeout() { return Duration.ofMinutes(10); }
            public Duration borrowTimeout() { return Duration.ofMillis(50); }
            public Duration maintenanceInterval() { return Duration.ofSeconds(5); }
        };
    }

    private static SparkConnectConfig spark() {
        return new SparkConnectConfig() {
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
    }

    final ConfigRecorder client = new ConfigRecorder();
    SessionPool pool;

    private SessionPool pool(int perUser, int total) {
        pool = new SessionPool(client, sizes(perUser, total), spark(), SparkEndpoints.single(ConnectEndpoint.local(15002)));
        return pool;
    }

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.stop(null);
        }
    }

    static final SparkUser ALICE = new SparkUser("alice", true);
    static final SparkUser BOB = new SparkUser("bob", true);
    static final SparkUser ROOT = new SparkUser("root", false);

    @Test
    void aUserAtItsCapWaitsAndFailsWhileOthersAreServed() {
        pool(1, 10);
        try (SessionLease held = pool.borrow(ALICE)) {
            LimitExceededException e = assertThrows(LimitExceededException.class, () -> pool.borrow(ALICE));
            assertTrue(e.getMessage().contains("user 'alice'"), e.getMessage());
            try (SessionLease other = pool.borrow(BOB)) {
                assertEquals("bob", other.session().userId());
            }
        }
        pool.borrow(ALICE).close();
    }

    @Test
    void theGatewayWideCapBoundsAllUsersTogether() {
        pool(5, 2);
        try (SessionLease a = pool.borrow(ALICE); SessionLease b = pool.borrow(BOB)) {
            LimitExceededException e = assertThrows(LimitExceededException.class, () -> pool.borrow(ROOT));
            assertTrue(e.getMessage().contains("all users together"), e.getMessage());
            assertEquals(2, pool.stats().inUse());
        }
        assertEquals(0, pool.stats().inUse());
        pool.borrow(ROOT).close();
    }

    @Test
    void aSessionIsReusedOnlyByItsOwnUserAndRestriction() {
        pool(4, 10);
        String alices;
        try (SessionLease a = pool.borrow(ALICE)) {
            alices = a.session().sessionId();
        }
        try (SessionLease b = pool.borrow(BOB); SessionLease unrestrictedAlice = pool.borrow(new SparkUser("alice", false))) {
            assertNotEquals(alices, b.session().sessionId());
            assertNotEquals(alices, unrestrictedAlice.session().sessionId(), "restricted and unrestricted never share");
        }
        try (SessionLease again = pool.borrow(ALICE)) {
            assertEquals(alices, again.session().sessionId(), "a clean session goes back to its own user");
        }
        String dirty;
        try (SessionLease a = pool.borrow(ALICE)) {
            a.markDirty();
            dirty = a.session().sessionId();
        }
        try (SessionLease a = pool.borrow(ALICE)) {
            assertNotEquals(dirty, a.session().sessionId(), "a dirty session is never lent again");
        }
    }

    @Test
    void aRestrictedSessionIsCheckedAndMarkedBeforeItIsLent() {
        pool(2, 10);
        try (SessionLease a = pool.borrow(ALICE)) {
            assertEquals(List.of("get alice [spark.sql.extensions]"), client.calls.subList(0, 1));
            assertTrue(client.calls.get(1).matches("set alice \\{.*spark.sparkgateway.policy.restricted=true.*}"), client.calls.toString());
            assertTrue(client.calls.get(1).contains("spark.sparkgateway.user=alice"), client.calls.toString());
            assertEquals(2, client.calls.size());
        }
        client.calls.clear();
        pool.borrow(ROOT).close();
        assertEquals(List.of("set root {spark.sparkgateway.user=root}"), client.calls, "an unrestricted session gets no mark, only its user");
    }

    @Test
    void withoutThePolicyExtensionRestrictedUsersAreRefusedAndNoPermitLeaks() {
        pool(1, 1);
        client.extensions = "org.example.Other";
        UnavailableException e = assertThrows(UnavailableException.class, () -> pool.borrow(ALICE));
        assertTrue(e.getMessage().contains(SessionPolicy.EXTENSION), e.getMessage());
        assertEquals(0, pool.stats().inUse());
        pool.borrow(ROOT).close();
        client.extensions = SessionPolicy.EXTENSION + ", org.example.Other";
        pool.borrow(ALICE).close();
    }

    @Test
    void usersSpreadOverEndpointsStickAndMoveWhenTheirsIsDown() throws Exception {
        SparkEndpoints two = new SparkEndpoints(List.of(new SparkEndpoint("east", ConnectEndpoint.local(1)),
                new SparkEndpoint("west", ConnectEndpoint.local(2))));
        pool = new SessionPool(client, sizes(4, 10), spark(), two);
        String alicesSession;
        try (SessionLease a = pool.borrow(ALICE)) {
            assertEquals("east", a.session().endpoint());
            alicesSession = a.session().sessionId();
        }
        try (SessionLease b = pool.borrow(BOB)) {
            assertEquals("west", b.session().endpoint(), "least loaded: alice's idle session is on east");
        }
        try (SessionLease a = pool.borrow(ALICE)) {
            assertEquals(alicesSession, a.session().sessionId(), "sticky, and the idle session is reused");
        }
        assertEquals(new EndpointStats("east", 1, 0, 0), pool.stats("east"));
        two.markDown("east", "test");
        SessionLease held = pool.borrow(ROOT);
        assertEquals("west", held.session().endpoint(), "a new user never goes to a down endpoint");
        held.close();
        try (SessionLease a = pool.borrow(ALICE)) {
            assertEquals("west", a.session().endpoint(), "alice moved on her next request");
            assertNotEquals(alicesSession, a.session().sessionId());
        }
        assertEquals(Optional.of("west"), pool.endpointOf(ALICE));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (pool.stats("east").open() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, pool.stats("east").open(), "her idle session on east was dropped");
        two.markUp("east");
        try (SessionLease a = pool.borrow(ALICE)) {
            assertEquals("west", a.session().endpoint(), "she stays after east recovers");
        }
        try (SessionLease c = pool.borrow(new SparkUser("carol", true))) {
            assertEquals("east", c.session().endpoint(), "a recovered endpoint takes new users");
        }
    }
}
