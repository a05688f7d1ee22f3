package dev.sparkgateway.session;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.connect.SparkConnectConfig;
import dev.sparkgateway.connect.SparkEndpoints;
import dev.sparkgateway.error.SparkException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spark Connect sessions, pooled per {@link SparkUser} (Spark user and whether the SQL policy
 * restricts it): a session is never handed to another user. A session is only an id on the shared
 * channel, so the pool manages ids: it keeps a few clean ones warm (already created on the server),
 * lends each to one request at a time, and closes on the server every session that got dirty,
 * went stale or sat idle too long. Sessions in use are bounded per user and for the whole gateway.
 * With several Spark Connect endpoints each user's sessions live on one of them, chosen by
 * {@link EndpointPlacement}; a user whose endpoint went down moves on their next borrow.
 * Just over 300 lines: borrowing, returning and the reaping of idle sessions share one lock and
 * its counts; the placement policy itself is apart.
 */
@ApplicationScoped
public class SessionPool {

    private static final Logger LOG = Logger.getLogger(SessionPool.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final SparkConnectClient client;
    private final PoolConfig config;
    private final SparkUser defaultUser;
    private final SparkEndpoints endpoints;
    private final EndpointPlacement placement;
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Semaphore total;
    private final Map<SparkUser, UserSessions> users = new ConcurrentHashMap<>();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("session-pool-maintenance").setDaemon(true).build());

    public SessionPool(SparkConnectClient client, PoolConfig config, SparkConnectConfig sparkConfig, SparkEndpoints endpoints) {
        this.client = client;
        this.config = config;
        this.defaultUser = new SparkUser(sparkConfig.userId(), false);
        this.total = new Semaphore(config.maxTotalSessions(), true);
        this.endpoints = endpoints;
        this.placement = new EndpointPlacement(endpoints.names());
        endpoints.names().forEach(name -> open.put(name, new AtomicInteger()));
    }

    void start(@Observes StartupEvent event) {
        users(defaultUser);
        long every = config.maintenanceInterval().toMillis();
        maintenance.scheduleWithFixedDelay(this::maintain, 0, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        maintenance.shutdownNow();
        users.values().forEach(u -> {
            PooledSession s;
            while ((s = u.idle.pollFirst()) != null) {
                release(s);
            }
        });
    }

    /** Borrows a session of {@code user}, creating (and for a restricted user, marking) one if none is idle. */
    public SessionLease borrow(SparkUser user) {
        UserSessions sessions = users(user);
        sessions.follow();
        return new PooledLease(sessions, sessions.take());
    }

    /** Where a new named session of {@code user} goes: the endpoint the user's pooled sessions live on. */
    String endpointFor(SparkUser user) {
        UserSessions sessions = users(user);
        sessions.follow();
        return sessions.endpoint;
    }

    /**
     * Creates, on the endpoint {@code user}'s sessions live on, the session a Spark Connect client
     * named {@code sessionId} (front/), prepared exactly like a pooled one: its Spark user, and a
     * restricted user's policy mark, set before the client's own first request reaches it.
     */
    public ConnectSession open(SparkUser user, String sessionId) {
        ConnectSession connect = ConnectSession.existing(endpointFor(user), user.name(), sessionId);
        SessionPolicy.prepare(client, connect, user.restricted());
        return connect;
    }

    /** The gateway's own Spark user (unrestricted), e.g. for health probes. */
    public SparkUser defaultUser() {
        return defaultUser;
    }

    public PoolStats stats() {
        int idle = 0;
        int inUse = 0;
        int waiting = 0;
        for (UserSessions u : users.values()) {
            idle += u.idle.size();
            inUse += u.inUse.get();
            waiting += u.waiting.get();
        }
        return new PoolStats(idle, inUse, waiting, created.get(), discarded.get());
    }

    /** The sessions on {@code endpoint}, for its gauges and readiness. */
    public EndpointStats stats(String endpoint) {
        int idle = 0;
        int waiting = 0;
        for (UserSessions u : users.values()) {
            idle += (int) u.idle.stream().filter(s -> s.endpoint().equals(endpoint)).count();
            if (u.endpoint.equals(endpoint)) {
                waiting += u.waiting.get();
            }
        }
        AtomicInteger opened = open.get(endpoint);
        int inUse = opened == null ? 0 : Math.max(0, opened.get() - idle);
        return new EndpointStats(endpoint, idle, inUse, waiting);
    }

    /** The endpoint {@code user}'s sessions live on now, if the pool has seen the user. */
    public Optional<String> endpointOf(SparkUser user) {
        return Optional.ofNullable(users.get(user)).map(u -> u.endpoint);
    }

    /** The idle sessions of all users, for diagnostics. */
    public List<ConnectSession> idleSessions() {
        return users.values().stream().flatMap(u -> u.idle.stream()).map(PooledSession::connect).toList();
    }

    private UserSessions users(SparkUser user) {
        UserSessions known = users.get(user);
        if (known != null) {
            return known;
        }
        // Placed outside computeIfAbsent: the load is read from the map itself.
        String endpoint = placement.place(null, endpoints::isUp, this::load);
        return users.computeIfAbsent(user, u -> new UserSessions(u, endpoint));
    }

    /** What placement compares: sessions open on {@code endpoint} and requests waiting for one there. */
    private int load(String endpoint) {
        EndpointStats stats = stats(endpoint);
        return stats.open() + stats.waiting();
    }

    private void maintain() {
        try {
            long maxIdle = config.idleTimeout().toNanos();
            for (UserSessions u : users.values()) {
                if (u.idle.isEmpty() && u.inUse.get() == 0 && u.waiting.get() == 0 && !u.user.equals(defaultUser)
                        && System.nanoTime() - u.lastUsedNanos > maxIdle) {
                    // Forget users who went away, so the map does not grow with every principal ever seen.
                    users.remove(u.user, u);
                    continue;
                }
                u.idle.removeIf(s -> {
                    if (s.idleNanos() > maxIdle) {
                        u.discard(s);
                        return true;
                    }
                    return false;
                });
            }
            UserSessions main = users(defaultUser);
            main.follow();
            while (main.idle.size() < config.minIdle() && !maintenance.isShutdown()) {
                // fresh() creates the session server-side, off the request path.
                main.idle.addLast(main.fresh());
            }
        } catch (RuntimeException e) {
            LOG.debugf("session pool maintenance: %s", e.getMessage());
        }
    }

    private void release(PooledSession s) {
        discarded.incrementAndGet();
        open.get(s.endpoint()).decrementAndGet();
        release(s, 1);
    }

    /** The server refuses to close a session while an interrupted operation is still winding down: try again later. */
    private void release(PooledSession s, int attempt) {
        try {
            client.releaseSession(s.connect());
        } catch (RuntimeException e) {
            if (attempt < 3 && !maintenance.isShutdown()) {
                maintenance.schedule(() -> release(s, attempt + 1), 2L * attempt, TimeUnit.SECONDS);
            } else {
                LOG.debugf("releasing %s failed: %s", s.connect(), e.getMessage());
            }
        }
    }

    /**
     * One user's sessions: permits bound the sessions in use (with the gateway-wide {@code total}),
     * the deque holds clean idle ones.
     */
    final class UserSessions {
        final SparkUser user;
        /** Where this user's new sessions go; changes only when that endpoint is down. */
        volatile String endpoint;
        final Semaphore permits = new Semaphore(config.maxSessions(), true);
        final Deque<PooledSession> idle = new ConcurrentLinkedDeque<>();
        final AtomicInteger waiting = new AtomicInteger();
        final AtomicInteger inUse = new AtomicInteger();
        volatile long lastUsedNanos = System.nanoTime();

        UserSessions(SparkUser user, String endpoint) {
            this.user = user;
            this.endpoint = endpoint;
        }

        /**
         * Moves this user to another endpoint if theirs is down and another is up; the idle sessions
         * on the old one are dropped, leased ones when they come back.
         */
        void follow() {
            if (endpoints.isUp(endpoint)) {
                return;
            }
            synchronized (this) {
                String from = endpoint;
                String to = placement.place(from, endpoints::isUp, SessionPool.this::load);
                if (!to.equals(from)) {
                    LOG.infof("Spark user '%s' moves from endpoint '%s' to '%s'", user.name(), from, to);
                    endpoint = to;
                    idle.removeIf(s -> {
                        if (!s.endpoint().equals(to)) {
                            discard(s);
                            return true;
                        }
                        return false;
                    });
                }
            }
        }

        /** A call on {@code s} found its server unreachable: no new sessions go there until a probe says otherwise. */
        void unreachable(PooledSession s, SparkException e) {
            endpoints.markDown(s.endpoint(), e.getMessage());
        }

        PooledSession take() {
            lastUsedNanos = System.nanoTime();
            long deadline = lastUsedNanos + config.borrowTimeout().toNanos();
            waiting.incrementAndGet();
            try {
                if (!acquire(permits, deadline)) {
                    throw PoolExhausted.ofUser(user.name(), config.maxSessions(), config.borrowTimeout(), RETRY_AFTER);
                }
                if (!acquire(total, deadline)) {
                    permits.release();
                    throw PoolExhausted.ofGateway(config.maxTotalSessions(), config.borrowTimeout(), RETRY_AFTER);
                }
            } finally {
                waiting.decrementAndGet();
            }
            inUse.incrementAndGet();
            try {
                PooledSession s;
                while ((s = idle.pollFirst()) != null && !s.endpoint().equals(endpoint)) {
                    discard(s); // left from before this user moved
                }
                return s != null ? s : fresh();
            } catch (RuntimeException e) {
                returnPermits();
                throw e;
            }
        }

        private boolean acquire(Semaphore semaphore, long deadline) {
            try {
                return semaphore.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private void returnPermits() {
            inUse.decrementAndGet();
            total.release();
            permits.release();
        }

        /** A new session, created on the server with its user (and a restricted user's mark) before anyone may use it. */
        PooledSession fresh() {
            created.incrementAndGet();
            ConnectSession session = ConnectSession.create(endpoint, user.name());
            PooledSession pooled = new PooledSession(session);
            SessionPolicy.prepare(client, session, user.restricted());
            // Counted once it exists; every way out of the pool (release) counts it down.
            open.get(session.endpoint()).incrementAndGet();
            return pooled;
        }

        void giveBack(PooledSession s, boolean reusable) {
            try {
                // A user the maintenance forgot meanwhile keeps nothing idle: nobody would reap it.
                if (reusable && idle.size() < config.maxSessions() && users.get(user) == this
                        && s.endpoint().equals(endpoint)) {
                    s.touch();
                    idle.addFirst(s);
                } else {
                    discard(s);
                }
            } finally {
                returnPermits();
            }
        }

        void discard(PooledSession s) {
            if (maintenance.isShutdown()) {
                release(s);
            } else {
                maintenance.schedule(() -> release(s), 200, TimeUnit.MILLISECONDS);
            }
        }
    }
}
