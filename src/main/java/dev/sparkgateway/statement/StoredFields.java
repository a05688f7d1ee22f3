package dev.sparkgateway.statement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparkgateway.error.ConflictException;
import dev.sparkgateway.error.DeniedException;
import dev.sparkgateway.error.GatewayException;
import dev.sparkgateway.error.InternalException;
import dev.sparkgateway.error.InvalidRequestException;
import dev.sparkgateway.error.LimitExceededException;
import dev.sparkgateway.error.NotFoundException;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.error.StoppedException;
import dev.sparkgateway.error.UnavailableException;
import dev.sparkgateway.result.ResultColumn;
import io.grpc.Status;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A statement's parts as the shared store keeps them, in JSON columns: result columns, progress,
 * chunks, and the failure, which comes back as the same kind of {@link GatewayException} (and so
 * the same problem type) on every replica. Failures are kept as what they say, not as classes.
 */
final class StoredFields {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<ResultColumn>> COLUMNS = new TypeReference<>() {
    };
    private static final TypeReference<List<ChunkInfo>> CHUNKS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> PARAMETERS = new TypeReference<>() {
    };

    private StoredFields() {
    }

    static String json(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ResultColumn> columns(String json) {
        return json == null ? null : read(json, COLUMNS);
    }

    static List<ChunkInfo> chunks(String json) {
        return read(json, CHUNKS);
    }

    static Progress progress(String json) {
        return read(json, new TypeReference<>() {
        });
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The failure as JSON: its kind, reason, message and what its problem shows (Retry-After, Spark's error info). */
    static String failure(GatewayException e) {
        if (e == null) {
            return null;
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("message", e.getMessage());
        e.retryAfter().ifPresent(d -> node.put("retryAfterMs", d.toMillis()));
        if (e instanceof SparkException spark) {
            node.put("kind", "spark").put("code", spark.code().name());
            SparkException.Info info = spark.info();
            node.put("errorClass", info.errorClass()).put("sqlState", info.sqlState()).put("errorId", info.errorId())
                    .put("exceptionClass", info.exceptionClass());
            node.set("messageParameters", JSON.valueToTree(info.messageParameters()));
        } else if (e instanceof StoppedException stopped) {
            node.put("kind", "stopped").put("reason", stopped.reason().name());
        } else if (e instanceof LimitExceededException limit) {
            node.put("kind", "limit").put("reason", limit.reason().name());
        } else if (e instanceof UnavailableException unavailable) {
            node.put("kind", "unavailable").put("reason", unavailable.reason().name());
        } else if (e instanceof DeniedException denied) {
            node.put("kind", "denied").put("reason", denied.reason().name());
        } else if (e instanceof InvalidRequestException invalid) {
            node.put("kind", "invalid").put("reason", invalid.reason().name()).put("pointer", invalid.pointer());
        } else if (e instanceof ConflictException conflict) {
            node.put("kind", "conflict").put("reason", conflict.reason().name());
        } else if (e instanceof NotFoundException) {
            node.put("kind", "not-found");
        } else if (e instanceof InternalException internal) {
            node.put("kind", "internal").put("reason", internal.origin().name());
        } else {
            // A client that went away is no statement's failure; kept as a gateway fault if it ever is.
            node.put("kind", "internal").put("reason", InternalException.Origin.GATEWAY.name());
        }
        return node.toString();
    }

    static GatewayException failure(String json) {
        if (json == null) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        String message = node.path("message").asText(null);
        String reason = node.path("reason").asText("");
        Duration retryAfter = node.has("retryAfterMs") ? Duration.ofMillis(node.get("retryAfterMs").asLong()) : null;
        return switch (node.path("kind").asText()) {
            case "spark" -> new SparkException(Status.Code.valueOf(node.path("code").asText("UNKNOWN")), message,
                    new SparkException.Info(text(node, "errorClass"), text(node, "sqlState"), text(node, "errorId"),
                            JSON.convertValue(node.path("messageParameters"), PARAMETERS), text(node, "exceptionClass")), null);
            case "stopped" -> StoppedException.Reason.TIMED_OUT.name().equals(reason)
                    ? StoppedException.timedOut(message, null) : StoppedException.cancelled(message);
            case "limit" -> new LimitExceededException(LimitExceededException.Reason.valueOf(reason), message, retryAfter);
            case "unavailable" -> new UnavailableException(UnavailableException.Reason.valueOf(reason), message);
            case "denied" -> switch (DeniedException.Reason.valueOf(reason)) {
                case UNAUTHENTICATED -> DeniedException.unauthenticated(message, true);
                case FORBIDDEN -> DeniedException.forbidden(message);
                case POLICY -> DeniedException.policy(message);
            };
            case "invalid" -> new InvalidRequestException(InvalidRequestException.Reason.valueOf(reason), message,
                    text(node, "pointer"));
            case "conflict" -> ConflictException.Reason.IDEMPOTENCY.name().equals(reason)
                    ? ConflictException.idempotency(message) : ConflictException.resultUnavailable(message, retryAfter);
            case "not-found" -> new NotFoundException(message);
            case "internal" -> InternalException.Origin.SPARK.name().equals(reason)
                    ? InternalException.ofSpark(message) : InternalException.ofGateway(message);
            default -> InternalException.ofGateway(message);
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
