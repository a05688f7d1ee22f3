package dev.sparkgateway.connect;

import io.grpc.Status;
import java.util.Map;
import java.util.Optional;

/**
 * A failure reported by Spark Connect (or on the way to it), decoded from the gRPC status and its
 * {@code google.rpc.ErrorInfo} detail.
 */
public final class SparkException extends RuntimeException {

    private static final java.util.Set<String> INVALID_INPUT = java.util.Set.of("java.lang.IllegalArgumentException",
            "java.lang.NumberFormatException", "org.apache.spark.sql.connect.common.InvalidPlanInput",
            "org.apache.spark.sql.connect.common.InvalidCommandInput");

    private final Status.Code code;
    private final Optional<String> errorClass;
    private final Optional<String> sqlState;
    private final Optional<String> errorId;
    private final Map<String, String> messageParameters;
    private final Optional<String> exceptionClass;

    public SparkException(Status.Code code, String message, Optional<String> errorClass, Optional<String> sqlState,
            Optional<String> errorId, Map<String, String> messageParameters, Throwable cause) {
        this(code, message, errorClass, sqlState, errorId, messageParameters, Optional.empty(), cause);
    }

    /** With the server-side exception class ({@code ErrorInfo.reason}, e.g. {@code java.lang.IllegalArgumentException}). */
    public SparkException(Status.Code code, String message, Optional<String> errorClass, Optional<String> sqlState,
            Optional<String> errorId, Map<String, String> messageParameters, Optional<String> exceptionClass, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.errorClass = errorClass;
        this.sqlState = sqlState;
        this.errorId = errorId;
        this.messageParameters = Map.copyOf(messageParameters);
        this.exceptionClass = exceptionClass;
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

    public Optional<String> exceptionClass() {
        return exceptionClass;
    }

    /**
     * Spark refused an argument of the plan without naming an error class: {@code require(...)}
     * checks such as a range step of 0 or a negative partition count, and Connect's invalid-plan errors.
     */
    public boolean isInvalidInput() {
        return errorClass.isEmpty() && exceptionClass.filter(INVALID_INPUT::contains).isPresent();
    }

    /** Spark Connect refused the gateway's credentials (its bearer token is missing or wrong). */
    public boolean isUnauthenticated() {
        return code == Status.Code.UNAUTHENTICATED || (code == Status.Code.PERMISSION_DENIED && errorClass.isEmpty());
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
