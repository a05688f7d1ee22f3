package dev.sparkgateway.session;

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
 * Spark Connect sessions, pooled per Spark Connect user. A session is only an id on the shared
 * channel, so the pool manages ids: it keeps a few clean ones warm (already created on the server),
 * lends each to one request at a time, and closes on the server every session that got dirty,
 * went stale or sat idle too long.
 */
@ApplicationScoped
public class SessionPool {

    private static final Logger LOG = Logger.getLogger(SessionPool.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final SparkConnectClient client;
    private final PoolConfig config;
    private final String defaultUser;
    private final Map<String, UserSessions> users = new ConcurrentHashMap<>();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "session-pool-maintenance");
        t.setDaemon(true);
        return t;
    });

    public SessionPool(SparkConnectClient client, PoolConfig config, SparkConnectConfig sparkConfig) {
        this.client = client;
        this.config = config;
        this.defaultUser = sparkConfig.userId();
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

    /** Borrows a session of the gateway's default Spark user. */
    public SessionLease borrow() {
        return borrow(defaultUser);
    }

    public SessionLease borrow(String userId) {
        UserSessions user = users(userId);
        return new SessionLease(user, user.take());
    }

    public String defaultUser() {
        return defaultUser;
    }

    public PoolStats stats() {
        int idle = 0;
        int inUse = 0;
        int waiting = 0;
        for (UserSessions u : users.values()) {
            idle += u.idle.size();
            inUse += config.maxSessions() - u.permits.availablePermits();
            waiting += u.waiting.get();
        }
        return new PoolStats(idle, inUse, waiting, created.get(), discarded.get());
    }

    /** The idle sessions of all users, for diagnostics. */
    public java.util.List<ConnectSession> idleSessions() {
        return users.values().stream().flatMap(u -> u.idle.stream()).map(PooledSession::connect).toList();
    }

    private UserSessions users(String userId) {
        return users.computeIfAbsent(userId, UserSessions::new);
    }

    private void maintain() {
        try {
            long maxIdle = config.idleTimeout().toNanos();
            for (UserSessions u : users.values()) {
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
                PooledSession warm = main.fresh();
                // The first call on an id creates the session server-side, off the request path.
                client.sparkVersion(warm.connect());
                main.idle.addLast(warm);
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

    /** One user's sessions: permits bound the sessions in use, the deque holds clean idle ones. */
    final class UserSessions {
        final String userId;
        final Semaphore permits = new Semaphore(config.maxSessions(), true);
        final Deque<PooledSession> idle = new ConcurrentLinkedDeque<>();
        final AtomicInteger waiting = new AtomicInteger();

        UserSessions(String userId) {
            this.userId = userId;
        }

        PooledSession take() {
            waiting.incrementAndGet();
            boolean acquired;
            try {
                acquired = permits.tryAcquire(config.borrowTimeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                acquired = false;
            } finally {
                waiting.decrementAndGet();
            }
            if (!acquired) {
                throw new PoolExhaustedException(userId, config.maxSessions(), config.borrowTimeout(), RETRY_AFTER);
            }
            PooledSession s = idle.pollFirst();
            return s != null ? s : fresh();
        }

        PooledSession fresh() {
            created.incrementAndGet();
            return new PooledSession(ConnectSession.create(userId));
        }

        void giveBack(PooledSession s, boolean reusable) {
            try {
                if (reusable && idle.size() < config.maxSessions()) {
                    s.touch();
                    idle.addFirst(s);
                } else {
                    discard(s);
                }
            } finally {
                permits.release();
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
