package dev.sparkgateway.connect;

import dev.sparkgateway.error.SparkException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.apache.spark.connect.proto.FetchErrorDetailsResponse;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Decodes gRPC failures from Spark Connect into {@link SparkException}. */
public final class SparkErrors {

    /** Longest message kept: Spark repeats whole SQL texts and identifiers in its messages. */
    static final int MAX_MESSAGE_CHARS = 4000;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The first line of a JVM stack trace ("\tat a.b.C.m(C.java:1)") or the marker Spark puts before one. */
    private static final Pattern STACK = Pattern.compile(
            "(?m)^(?:\\s*at [\\w$.<>/-]+\\([^()\\n]*\\)\\s*$|\\s*Driver stacktrace:|\\s*\\.\\.\\. \\d+ more\\s*$)");
    /**
     * What Spark answers for work it had when its server began to shut down: the SparkContext
     * stopped, its jobs cancelled, no session left to run in (seen in TwoSparkEndpointsTest).
     */
    private static final Pattern SHUTTING_DOWN = Pattern.compile("stopped SparkContext|SparkContext was shut down"
            + "|SparkContext has been shutdown|No active or default Spark session found");

    private SparkErrors() {
    }

    public static SparkException decode(Throwable t) {
        if (t instanceof SparkException se) {
            return se;
        }
        Status status = Status.fromThrowable(t);
        String message = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        SparkException.Info info = SparkException.Info.NONE;
        com.google.rpc.Status rich = t instanceof StatusRuntimeException ? StatusProto.fromThrowable(t) : null;
        if (rich != null) {
            for (Any detail : rich.getDetailsList()) {
                if (!detail.is(ErrorInfo.class)) {
                    continue;
                }
                try {
                    ErrorInfo errorInfo = detail.unpack(ErrorInfo.class);
                    Map<String, String> meta = errorInfo.getMetadataMap();
                    info = new SparkException.Info(meta.get("errorClass"), meta.get("sqlState"), meta.get("errorId"),
                            parseParameters(meta.get("messageParameters")), errorInfo.getReason().isBlank() ? null : errorInfo.getReason());
                } catch (InvalidProtocolBufferException e) {
                    // A malformed detail leaves the plain status message, which is still useful.
                }
            }
        }
        if (info.errorClass() == null && status.getCode() == Status.Code.UNAVAILABLE) {
            message = "Spark Connect is unreachable: " + message;
        }
        if (status.getCode() == Status.Code.UNAUTHENTICATED || (status.getCode() == Status.Code.PERMISSION_DENIED && info.errorClass() == null)) {
            message = "The gateway's Spark Connect token is missing or wrong: set gateway.spark.token"
                    + " (GATEWAY_SPARK_TOKEN) or token= in gateway.spark.url to the server's spark.connect.authenticate.token."
                    + " Spark Connect said: " + message;
        }
        return shuttingDown(new SparkException(status.getCode(), summary(message), info, t));
    }

    /**
     * A server that is shutting down fails its running work with errors of its own, not UNAVAILABLE;
     * to the gateway it is going away like one that is unreachable: the same 503, the same retry,
     * and with several endpoints the user's next request moves.
     */
    static SparkException shuttingDown(SparkException e) {
        if (e.isUnavailable() || !SHUTTING_DOWN.matcher(e.getMessage()).find()) {
            return e;
        }
        String first = e.getMessage().lines().findFirst().orElse("").strip();
        return new SparkException(Status.Code.UNAVAILABLE, "Spark Connect is shutting down: " + first, e.info(), e.getCause());
    }

    /**
     * The error Spark's FetchErrorDetails gave for an error id: what the trailers could not carry
     * (Spark leaves out the error class when its message parameters exceed
     * {@code spark.connect.grpc.maxMetadataSize}). The original stays the cause.
     */
    static SparkException withDetails(SparkException original, FetchErrorDetailsResponse details) {
        if (details.getErrorsCount() == 0) {
            return original;
        }
        int root = details.hasRootErrorIdx() && details.getRootErrorIdx() < details.getErrorsCount() ? details.getRootErrorIdx() : 0;
        FetchErrorDetailsResponse.Error error = details.getErrors(root);
        Optional<String> errorClass = original.errorClass();
        Optional<String> sqlState = original.sqlState();
        Map<String, String> parameters = original.messageParameters();
        if (error.hasSparkThrowable()) {
            FetchErrorDetailsResponse.SparkThrowable spark = error.getSparkThrowable();
            errorClass = errorClass.or(() -> Optional.of(spark.getErrorClass()).filter(c -> !c.isEmpty()));
            sqlState = sqlState.or(() -> Optional.of(spark.getSqlState()).filter(s -> !s.isEmpty()));
            if (parameters.isEmpty()) {
                parameters = spark.getMessageParametersMap();
            }
        }
        Optional<String> exceptionClass = original.exceptionClass()
                .or(() -> error.getErrorTypeHierarchyList().stream().findFirst());
        String message = error.getMessage().isBlank() ? original.getMessage() : summary(error.getMessage());
        return shuttingDown(new SparkException(original.code(), message, new SparkException.Info(errorClass.orElse(null),
                sqlState.orElse(null), original.errorId().orElse(null), parameters, exceptionClass.orElse(null)),
                original.getCause()));
    }

    /** The message without stack text of any process, cut to {@link #MAX_MESSAGE_CHARS}. */
    static String summary(String message) {
        String text = message;
        Matcher stack = STACK.matcher(text);
        if (stack.find()) {
            text = text.substring(0, stack.start());
        }
        text = text.stripTrailing();
        if (text.isEmpty()) {
            text = "(no message; the gateway's log has Spark's error)";
        }
        if (text.length() > MAX_MESSAGE_CHARS) {
            int cut = MAX_MESSAGE_CHARS;
            if (Character.isHighSurrogate(text.charAt(cut - 1))) {
                cut--;
            }
            text = text.substring(0, cut) + "... (" + (text.length() - cut) + " more characters)";
        }
        return text;
    }

    private static Map<String, String> parseParameters(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() {
            });
        } catch (Exception e) {
            return Map.of();
        }
    }
}
