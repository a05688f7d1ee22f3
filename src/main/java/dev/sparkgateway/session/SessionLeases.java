package dev.sparkgateway.session;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one place requests get their Spark session: a pooled one for a stateless request, the named
 * session for a request that joined one. Everything that runs something in Spark (queries,
 * analysis, statements, catalog look-ups) leases through here, so joining a session works the same
 * everywhere.
 */
@ApplicationScoped
public class SessionLeases {

    private final SessionPool pool;
    private final NamedSessions named;

    public SessionLeases(SessionPool pool, NamedSessions named) {
        this.pool = pool;
        this.named = named;
    }

    /** A session for {@code scope}; close the lease when the request is done with it. */
    public SessionLease lease(SessionScope scope) {
        return scope.sessionId().isPresent() ? named.join(scope) : pool.borrow(scope.user());
    }

    /** Fails now (404, 410) if {@code scope} names a session it cannot join: for work that leases later. */
    public void check(SessionScope scope) {
        if (scope.sessionId().isPresent()) {
            named.check(scope);
        }
    }
}
