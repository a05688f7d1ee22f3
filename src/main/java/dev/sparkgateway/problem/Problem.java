package dev.sparkgateway.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem detail. Spark failures carry Spark's {@code errorClass} and
 * {@code sqlState}; request errors carry the JSON Pointer of the offending value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", requiredProperties = {"type", "title", "status"})
public record Problem(String type, String title, int status, String detail, String instance,
        String errorClass, String sqlState, String errorId, Map<String, String> messageParameters,
        String pointer, String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(title, "title is null");
        messageParameters = messageParameters == null || messageParameters.isEmpty() ? null : Map.copyOf(messageParameters);
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail, null, null, null, null, null, null, null);
    }

    public Problem withPointer(String pointer) {
        return new Problem(type, title, status, detail, instance, errorClass, sqlState, errorId, messageParameters, pointer, requestId);
    }

    public Problem withInstance(String instance) {
        return new Problem(type, title, status, detail, instance, errorClass, sqlState, errorId, messageParameters, pointer, requestId);
    }

    public Problem withRequestId(String requestId) {
        return new Problem(type, title, status, detail, instance, errorClass, sqlState, errorId, messageParameters, pointer, requestId);
    }
}
