package dev.sparkgateway.query;

import dev.sparkgateway.connect.ConnectSession;

import java.util.Objects;

/**
 * One Spark operation and the session it runs in: enough for any gateway replica to interrupt it,
 * since Spark Connect finds a session by its user and id, whichever client asks.
 */
public record SparkOperation(String userId, String sessionId, String operationId, String endpoint) {

    public SparkOperation {
        Objects.requireNonNull(endpoint, "endpoint is null");
        Objects.requireNonNull(userId, "userId is null");
        Objects.requireNonNull(sessionId, "sessionId is null");
        Objects.requireNonNull(operationId, "operationId is null");
    }

    /** An operation whose Spark endpoint was not recorded (another replica's): interrupts go to every endpoint. */
    public SparkOperation(String userId, String sessionId, String operationId) {
        this(userId, sessionId, operationId, ConnectSession.ANY_ENDPOINT);
    }

    static SparkOperation of(ConnectSession session, String operationId) {
        return new SparkOperation(session.userId(), session.sessionId(), operationId, session.endpoint());
    }

    /** The session to name in an interrupt. */
    public ConnectSession session() {
        return ConnectSession.existing(endpoint, userId, sessionId);
    }
}
