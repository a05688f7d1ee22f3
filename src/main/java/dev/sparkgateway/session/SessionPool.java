package dev.sparkgateway.session;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.connect.SparkConnectConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
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
 */
@ApplicationScoped
public class SessionPool {

    private static final Logger LOG = Logger.getLogger(SessionPool.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final SparkConnectClient client;
    private final PoolConfig config;
    private final SparkUser defaultUser;
    private final Semaphore total;
    private final Map<SparkUser, UserSessions> users = new ConcurrentHashMap<>();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("session-pool-maintenance").setDaemon(true).build());

    public SessionPool(SparkConnectClient client, PoolConfig config, SparkConnectConfig sparkConfig) {
        this.client = client;
        this.config = config;
        this.defaultUser = new SparkUser(sparkConfig.userId(), false);
        this.total = new Semaphore(config.maxTotalSessions(), true);
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
        return new SessionLease(sessions, sessions.take());
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

    /** The idle sessions of all users, for diagnostics. */
    public List<ConnectSession> idleSessions() {
        return users.values().stream().flatMap(u -> u.idle.stream()).map(PooledSession::connect).toList();
    }

    private UserSessions users(SparkUser user) {
        return users.computeIfAbsent(user, UserSessions::new);
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
        final Semaphore permits = new Semaphore(config.maxSessions(), true);
        final Deque<PooledSession> idle = new ConcurrentLinkedDeque<>();
        final AtomicInteger waiting = new AtomicInteger();
        final AtomicInteger inUse = new AtomicInteger();
        volatile long lastUsedNanos = System.nanoTime();

        UserSessions(SparkUser user) {
            this.user = user;
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
                PooledSession s = idle.pollFirst();
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
            ConnectSession session = ConnectSession.create(user.name());
            SessionPolicy.prepare(client, session, user.restricted());
            return new PooledSession(session);
        }

        void giveBack(PooledSession s, boolean reusable) {
            try {
                // A user the maintenance forgot meanwhile keeps nothing idle: nobody would reap it.
                if (reusable && idle.size() < config.maxSessions() && users.get(user) == this) {
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
