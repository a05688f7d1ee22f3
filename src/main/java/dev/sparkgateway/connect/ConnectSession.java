package dev.sparkgateway.connect;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A Spark Connect session as the client sees it: a client-chosen id under a user. There is no
 * create RPC; the server creates the session on the first request that names it.
 */
public final class ConnectSession {

    private final String userId;
    private final String sessionId;
    // Learned from the first response; sent back so the server can tell us it restarted
    // (INVALID_HANDLE.SESSION_CHANGED) instead of silently starting an empty session.
    private volatile String serverSideSessionId;

    private ConnectSession(String userId, String sessionId) {
        this.userId = Objects.requireNonNull(userId, "userId is null");
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId is null");
    }

    public static ConnectSession create(String userId) {
        return new ConnectSession(userId, UUID.randomUUID().toString());
    }

    /** A session another process created (to interrupt its operations): the server knows it by user and id. */
    public static ConnectSession existing(String userId, String sessionId) {
        return new ConnectSession(userId, sessionId);
    }

    public String userId() {
        return userId;
    }

    public String sessionId() {
        return sessionId;
    }

    public Optional<String> serverSideSessionId() {
        return Optional.ofNullable(serverSideSessionId);
    }

    void observeServerSideSessionId(String id) {
        if (id != null && !id.isEmpty() && serverSideSessionId == null) {
            serverSideSessionId = id;
        }
    }

    @Override
    public String toString() {
        return "ConnectSession[" + userId + "/" + sessionId + "]";
    }
}
