package dev.sparkgateway.session;

import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.error.SparkException;

import java.util.function.Supplier;

/**
 * One request's exclusive use of a pooled Spark Connect session. Close it to give the session back; a
 * session marked dirty (it ran a command that may change session state: SET, temp views, USE...)
 * is closed on the server instead of being reused, so no state leaks into the next request.
 */
final class PooledLease implements SessionLease {

    private final SessionPool.UserSessions owner;
    private PooledSession session;
    private boolean dirty;
    private boolean closed;

    PooledLease(SessionPool.UserSessions owner, PooledSession session) {
        this.owner = owner;
        this.session = session;
    }

    @Override
    public ConnectSession session() {
        return session.connect();
    }

    @Override
    public void markDirty() {
        dirty = true;
    }

    /**
     * Runs {@code call}, and once more on a fresh session if the server no longer knows this one
     * (closed, expired, server restarted): the one retry policy for stale pooled sessions. A call is
     * safe to repeat then, because the server never ran it, and a pooled session holds no state to lose.
     */
    @Override
    public <T> T retryIfStale(Supplier<T> call) {
        try {
            return call.get();
        } catch (SparkException e) {
            if (e.isUnavailable()) {
                // Not repeated elsewhere (the server may have started it); the user's next request moves.
                owner.unreachable(session, e);
            }
            if (!e.isStaleSession()) {
                throw e;
            }
            replaceStale();
            return call.get();
        }
    }

    /** Drops a session the server no longer knows and continues with a fresh one. */
    void replaceStale() {
        owner.discard(session);
        session = owner.fresh();
        dirty = false;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            owner.giveBack(session, !dirty);
        }
    }
}
