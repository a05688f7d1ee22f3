package dev.sparkgateway.session;

import dev.sparkgateway.connect.ConnectSession;

import java.util.function.Supplier;

/**
 * One request's use of a Spark Connect session, from {@link SessionLeases#lease}: either a pooled
 * session, exclusive to the request and clean again (or closed) when it ends, or the named session
 * the request joined, shared with that session's other requests and kept when it ends. Close it
 * when the request is done with the session.
 */
public sealed interface SessionLease extends AutoCloseable permits PooledLease, NamedLease {

    ConnectSession session();

    /**
     * The session may now hold state of this request (it ran a command such as SET, USE or CREATE
     * TEMP VIEW, or failed halfway): a pooled one is never handed to another request; a named
     * one is meant to keep it.
     */
    void markDirty();

    /**
     * Runs {@code call}, the one policy for a session the server no longer knows (closed, expired,
     * server restarted): a pooled lease retries once on a fresh session, a named one reports the
     * session lost (410), since a fresh one would silently lack the session's state.
     */
    <T> T retryIfStale(Supplier<T> call);

    @Override
    void close();
}
