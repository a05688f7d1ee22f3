package dev.sparkgateway.front;

import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.session.SessionPool;
import io.grpc.Status;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sessions Spark Connect clients opened through the front, by the id the client chose: which
 * principal owns each (nobody else may use it), where it lives, and when it was last used. A
 * session is created on first sight exactly like a pooled one (SessionPool.open: its Spark user,
 * a restricted principal's policy mark) before the client's request reaches it.
 */
final class FrontSessions {

    private static final Logger LOG = Logger.getLogger(FrontSessions.class);

    /** One client session: its owner, its Spark session, its executions running now and when it was last used. */
    static final class Entry {
        final String owner;
        final String principal;
        final CompletableFuture<ConnectSession> connect = new CompletableFuture<>();
        final AtomicInteger running = new AtomicInteger();
        volatile long lastUsedNanos = System.nanoTime();

        Entry(String owner, String principal) {
            this.owner = owner;
            this.principal = principal;
        }
    }

    private final SessionPool pool;
    private final SparkConnectClient client;
    private final ConnectFrontConfig config;
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> operations = new ConcurrentHashMap<>();

    FrontSessions(SessionPool pool, SparkConnectClient client, ConnectFrontConfig config) {
        this.pool = pool;
        this.client = client;
        this.config = config;
    }

    /** The session {@code sessionId} of {@code principal}, created on first use; refused if another principal's. */
    Entry admit(Principal principal, String sessionId) {
        if (sessionId.isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription("session_id is empty").asRuntimeException();
        }
        String owner = owner(principal);
        Entry entry = sessions.get(sessionId);
        boolean mine = false;
        if (entry == null) {
            int cap = config.maxSessionsPerPrincipal();
            if (cap > 0 && sessions.values().stream().filter(e -> e.owner.equals(owner)).count() >= cap) {
                throw Status.RESOURCE_EXHAUSTED.withDescription(principal.name() + " holds " + cap + " Spark Connect"
                        + " sessions through the gateway already (gateway.connect-front.max-sessions-per-principal);"
                        + " stop one it no longer needs").asRuntimeException();
            }
            Entry fresh = new Entry(owner, principal.name());
            entry = sessions.putIfAbsent(sessionId, fresh);
            if (entry == null) {
                entry = fresh;
                mine = true;
            }
        }
        if (!entry.owner.equals(owner)) {
            // The same answer as for a session that never existed: nothing about the other principal leaks.
            throw notFound(sessionId);
        }
        if (mine) {
            try {
                entry.connect.complete(pool.open(principal.spark(), sessionId));
            } catch (RuntimeException e) {
                sessions.remove(sessionId, entry);
                entry.connect.completeExceptionally(e);
                throw e;
            }
        }
        entry.lastUsedNanos = System.nanoTime();
        return entry;
    }

    /** Whether {@code sessionId} exists here and its Spark session is ready: admitting it does not block. */
    boolean ready(String sessionId) {
        Entry entry = sessions.get(sessionId);
        return entry != null && entry.connect.isDone();
    }

    /** The Spark session behind {@code entry}, once its creation (by whichever call came first) is done. */
    static ConnectSession connect(Entry entry) {
        try {
            return entry.connect.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        }
    }

    /** Counts an execution of {@code principal} in {@code entry}; false if the principal runs as many as it may. */
    boolean startOperation(Principal principal, Entry entry) {
        AtomicInteger running = operations.computeIfAbsent(owner(principal), k -> new AtomicInteger());
        int cap = config.maxOperationsPerPrincipal();
        if (running.incrementAndGet() > cap && cap > 0) {
            running.decrementAndGet();
            return false;
        }
        entry.running.incrementAndGet();
        return true;
    }

    void endOperation(Principal principal, Entry entry) {
        operations.get(owner(principal)).decrementAndGet();
        entry.running.decrementAndGet();
        entry.lastUsedNanos = System.nanoTime();
    }

    /** The client released the session itself (ReleaseSession): its id is forgotten. */
    void released(String sessionId) {
        sessions.remove(sessionId);
    }

    /** Releases on Spark every session idle for longer than the timeout with nothing running. */
    void releaseIdle() {
        long cutoff = System.nanoTime() - config.sessionIdleTimeout().toNanos();
        sessions.forEach((id, entry) -> {
            if (entry.running.get() == 0 && entry.lastUsedNanos - cutoff < 0 && entry.connect.isDone()
                    && sessions.remove(id, entry)) {
                try {
                    client.releaseSession(connect(entry));
                    LOG.debugf("Spark Connect front: released session %s of %s, idle for %s", id, entry.principal,
                            Duration.ofNanos(System.nanoTime() - entry.lastUsedNanos));
                } catch (RuntimeException e) {
                    LOG.debugf("releasing idle session %s failed: %s", id, e.getMessage());
                }
            }
        });
    }

    int size() {
        return sessions.size();
    }

    /** A session belongs to a principal and the Spark user it ran as (which a key file reload could change). */
    private static String owner(Principal principal) {
        return principal.name() + "\u0000" + principal.sparkUser() + "\u0000" + principal.restricted();
    }

    static io.grpc.StatusRuntimeException notFound(String sessionId) {
        return Status.NOT_FOUND.withDescription("[INVALID_HANDLE.SESSION_NOT_FOUND] Session " + sessionId
                + " not found").asRuntimeException();
    }
}
