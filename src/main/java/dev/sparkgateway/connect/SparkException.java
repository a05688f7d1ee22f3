package dev.sparkgateway.connect;

import io.grpc.Status;
import java.util.Map;
import java.util.Optional;

/**
 * A failure reported by Spark Connect (or on the way to it), decoded from the gRPC status and its
 * {@code google.rpc.ErrorInfo} detail.
 */
public final class SparkException extends RuntimeException {

    private final Status.Code code;
    private final Optional<String> errorClass;
    private final Optional<String> sqlState;
    private final Optional<String> errorId;
    private final Map<String, String> messageParameters;

    public SparkException(Status.Code code, String message, Optional<String> errorClass, Optional<String> sqlState,
            Optional<String> errorId, Map<String, String> messageParameters, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.errorClass = errorClass;
        this.sqlState = sqlState;
        this.errorId = errorId;
        this.messageParameters = Map.copyOf(messageParameters);
    }

    public Status.Code code() {
        return code;
    }

    public Optional<String> errorClass() {
        return errorClass;
    }

    public Optional<String> sqlState() {
        return sqlState;
    }

    public Optional<String> errorId() {
        return errorId;
    }

    public Map<String, String> messageParameters() {
        return messageParameters;
    }

    /** The server no longer knows this session (closed, expired, or the server restarted). */
    public boolean isStaleSession() {
        return errorClass.filter(c -> c.equals("INVALID_HANDLE.SESSION_CLOSED")
                || c.equals("INVALID_HANDLE.SESSION_NOT_FOUND")
                || c.equals("INVALID_HANDLE.SESSION_CHANGED")).isPresent();
    }

    /** Spark could not be reached at all. */
    public boolean isUnavailable() {
        return code == Status.Code.UNAVAILABLE;
    }

    public boolean isCancelled() {
        return code == Status.Code.CANCELLED || errorClass.filter(c -> c.startsWith("OPERATION_CANCELED")).isPresent();
    }

    public boolean isTimeout() {
        return code == Status.Code.DEADLINE_EXCEEDED;
    }
}
