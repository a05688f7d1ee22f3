package dev.sparkgateway.error;

import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Spark Connect (or the gRPC transport to it) said: the gRPC status and its
 * {@code google.rpc.ErrorInfo} detail, decoded by {@code connect.SparkErrors}. The gateway's own
 * failures are the other {@link GatewayException}s, never this one.
 */
public final class SparkException extends GatewayException {

    private static final Set<String> INVALID_INPUT = Set.of("java.lang.IllegalArgumentException",
            "java.lang.NumberFormatException", "org.apache.spark.sql.connect.common.InvalidPlanInput",
            "org.apache.spark.sql.connect.common.InvalidCommandInput");

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final Status.Code code;
    private final Info info;

    /**
     * Spark's {@code ErrorInfo}: each part null where Spark did not send it.
     *
     * @param exceptionClass the server-side exception class ({@code ErrorInfo.reason}, e.g.
     *                       {@code java.lang.IllegalArgumentException})
     */
    public record Info(String errorClass, String sqlState, String errorId, Map<String, String> messageParameters,
            String exceptionClass) {

        /** A status without any ErrorInfo. */
        public static final Info NONE = new Info(null, null, null, Map.of(), null);

        public Info {
            messageParameters = messageParameters == null ? Map.of() : Map.copyOf(messageParameters);
        }
    }

    public SparkException(Status.Code code, String message, Info info, Throwable cause) {
        super(null, message, cause, null);
        this.code = code;
        this.info = info == null ? Info.NONE : info;
    }

    public Info info() {
        return info;
    }

    /** The same error with another message (e.g. the gateway's explanation appended). */
    public SparkException withMessage(String message) {
        return new SparkException(code, message, info, this);
    }

    public Status.Code code() {
        return code;
    }

    public Optional<String> errorClass() {
        return Optional.ofNullable(info.errorClass());
    }

    public Optional<String> sqlState() {
        return Optional.ofNullable(info.sqlState());
    }

    public Optional<String> errorId() {
        return Optional.ofNullable(info.errorId());
    }

    public Map<String, String> messageParameters() {
        return info.messageParameters();
    }

    public Optional<String> exceptionClass() {
        return Optional.ofNullable(info.exceptionClass());
    }

    /**
     * Spark refused an argument of the plan without naming an error class: {@code require(...)}
     * checks such as a range step of 0 or a negative partition count, and Connect's invalid-plan errors.
     */
    public boolean isInvalidInput() {
        return info.errorClass() == null && info.exceptionClass() != null && INVALID_INPUT.contains(info.exceptionClass());
    }

    /** Spark Connect refused the gateway's credentials (its bearer token is missing or wrong). */
    public boolean isUnauthenticated() {
        return code == Status.Code.UNAUTHENTICATED || (code == Status.Code.PERMISSION_DENIED && info.errorClass() == null);
    }

    /** The server no longer knows this session (closed, expired, or the server restarted). */
    public boolean isStaleSession() {
        return errorClass().filter(c -> c.equals("INVALID_HANDLE.SESSION_CLOSED")
                || c.equals("INVALID_HANDLE.SESSION_NOT_FOUND")
                || c.equals("INVALID_HANDLE.SESSION_CHANGED")).isPresent();
    }

    /** Unreachable or a vanished session: the next try (a new session) may well work. */
    @Override
    public Optional<Duration> retryAfter() {
        return isUnavailable() || isStaleSession() ? Optional.of(RETRY_AFTER) : Optional.empty();
    }

    /** Spark could not be reached at all. */
    public boolean isUnavailable() {
        return code == Status.Code.UNAVAILABLE;
    }

    public boolean isCancelled() {
        return code == Status.Code.CANCELLED || errorClass().filter(c -> c.startsWith("OPERATION_CANCELED")).isPresent();
    }

    public boolean isTimeout() {
        return code == Status.Code.DEADLINE_EXCEEDED;
    }
}
