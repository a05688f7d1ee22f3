package dev.sparkgateway.session;

import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.error.SparkException;

import java.util.function.Supplier;

/**
 * One request's use of a named session. Not exclusive: the session's other requests may run
 * alongside (Spark Connect runs operations of one session concurrently). Closing it only marks the
 * session used; its state stays for the next request, whatever this one ran.
 */
final class NamedLease implements SessionLease {

    private final NamedSessions sessions;
    private final SessionRecord record;
    private final NamedSessions.Handle handle;
    private boolean closed;

    NamedLease(NamedSessions sessions, SessionRecord record, NamedSessions.Handle handle) {
        this.sessions = sessions;
        this.record = record;
        this.handle = handle;
    }

    @Override
    public ConnectSession session() {
        return handle.connect();
    }

    /** Nothing to do: keeping state is what a named session is for. */
    @Override
    public void markDirty() {
    }

    /** No retry on a fresh session: it would lack this session's temp views, settings and database. */
    @Override
    public <T> T retryIfStale(Supplier<T> call) {
        try {
            return call.get();
        } catch (SparkException e) {
            if (e.isStaleSession()) {
                throw sessions.lost(record, e);
            }
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            sessions.ended(record, handle);
        }
    }
}
