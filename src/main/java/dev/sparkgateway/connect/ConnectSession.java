package dev.sparkgateway.connect;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A Spark Connect session as the client sees it: a client-chosen id under a user, on one of the
 * gateway's endpoints. There is no create RPC; the server creates the session on the first request
 * that names it.
 */
public final class ConnectSession {

    private final String endpoint;
    private final String userId;
    private final String sessionId;
    // Learned from the first response; sent back so the server can tell us it restarted
    // (INVALID_HANDLE.SESSION_CHANGED) instead of silently starting an empty session.
    private volatile String serverSideSessionId;

    private ConnectSession(String endpoint, String userId, String sessionId) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint is null");
        this.userId = Objects.requireNonNull(userId, "userId is null");
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId is null");
    }

    /** A new session on the Spark Connect server named {@code endpoint} (see {@link SparkEndpoints}). */
    public static ConnectSession create(String endpoint, String userId) {
        return new ConnectSession(endpoint, userId, UUID.randomUUID().toString());
    }

    /** The name of the endpoint whose server holds this session: a session id means nothing on another server. */
    public String endpoint() {
        return endpoint;
    }

    /** The endpoint of a session whose server is not known (another replica's): interrupts go to every endpoint. */
    public static final String ANY_ENDPOINT = "*";

    /** A session another process created (to interrupt its operations): the server knows it by user and id. */
    public static ConnectSession existing(String endpoint, String userId, String sessionId) {
        return new ConnectSession(endpoint, userId, sessionId);
    }

    /**
     * A session another replica created and still uses, with the server-side id the server gave it
     * then ({@code null} if none was seen): sent with every request, so a restarted server answers
     * SESSION_CHANGED instead of silently starting an empty session under the same id.
     */
    public static ConnectSession existing(String endpoint, String userId, String sessionId, String serverSideSessionId) {
        ConnectSession session = new ConnectSession(endpoint, userId, sessionId);
        session.observeServerSideSessionId(serverSideSessionId);
        return session;
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
        return "ConnectSession[" + endpoint + ":" + userId + "/" + sessionId + "]";
    }
}
