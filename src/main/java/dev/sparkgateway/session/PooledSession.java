package dev.sparkgateway.session;

import dev.sparkgateway.connect.ConnectSession;

/** A pooled session and when it was last handed back. */
final class PooledSession {

    private final ConnectSession connect;
    private volatile long idleSinceNanos = System.nanoTime();

    PooledSession(ConnectSession connect) {
        this.connect = connect;
    }

    ConnectSession connect() {
        return connect;
    }

    String endpoint() {
        return connect.endpoint();
    }

    void touch() {
        idleSinceNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - idleSinceNanos;
    }
}
