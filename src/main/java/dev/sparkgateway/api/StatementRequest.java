package dev.sparkgateway.api;

import dev.sparkgateway.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparkgateway.observe.Audit;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Body of {@code POST /v1/statements}: what {@code POST /v1/sql} takes, plus how long to wait.
 *
 * @param sql           the statement (or {@code dataframe})
 * @param parameters    as in {@link SqlRequest}
 * @param limit         row limit
 * @param dataframe     a DataFrame spec instead of SQL
 * @param waitTimeout   ISO-8601 duration ("PT30S") or seconds (30, 0.5); 0 returns at once
 * @param onWaitTimeout CONTINUE (default: return the handle, keep running) or CANCEL
 * @param sessionId     the named session to run in (as the {@code X-Session-Id} header)
 */
@Schema(name = "StatementRequest", description = "An asynchronous statement: SQL or a DataFrame spec, and how long to wait")
public record StatementRequest(
        @Schema(examples = "SELECT count(*) FROM range(1000000000)") String sql,
        @Schema(ref = "SqlParameters") JsonNode parameters,
        @Schema(description = "Maximum number of rows", minimum = "0") Long limit,
        @Schema(ref = "DataFrameSpec", description = "A DataFrame spec (as POST /v1/dataframe) instead of sql") JsonNode dataframe,
        @Schema(ref = "WaitTimeout") JsonNode waitTimeout,
        @Schema(enumeration = {"CONTINUE", "CANCEL"}, description = "What to do when the wait ends first (default CONTINUE)")
        String onWaitTimeout,
        @Schema(description = "Run in this named session (POST /v1/sessions), as the X-Session-Id header does")
        String sessionId) {

    /** Checks what Jackson cannot (a failure inside the constructor would lose its message to Jackson). */
    public StatementRequest validated() {
        if ((sql == null) == (dataframe == null || dataframe.isNull())) {
            throw new InvalidRequestException("give exactly one of 'sql' and 'dataframe'",
                    sql == null ? "/sql" : "/dataframe");
        }
        if (limit != null && limit < 0) {
            throw new InvalidRequestException("limit must be 0 or more, got " + limit, "/limit");
        }
        cancelOnWaitTimeout();
        return this;
    }

    /** The wait asked for, or {@code fallback}; at most {@code max}. */
    public Duration waitFor(Duration fallback, Duration max) {
        if (waitTimeout == null || waitTimeout.isNull()) {
            return fallback;
        }
        Duration wait = parseWait(waitTimeout);
        if (wait.isNegative()) {
            throw new InvalidRequestException("waitTimeout must not be negative", "/waitTimeout");
        }
        if (wait.compareTo(max) > 0) {
            throw new InvalidRequestException("waitTimeout " + wait + " is longer than the gateway's"
                    + " maximum " + max + " (gateway.statements.max-wait-timeout); poll or listen to /events instead",
                    "/waitTimeout");
        }
        return wait;
    }

    private static Duration parseWait(JsonNode value) {
        try {
            if (value.isNumber()) {
                return seconds(value.decimalValue());
            }
            if (value.isTextual()) {
                String text = value.asText().trim();
                return text.matches("-?[0-9]+(\\.[0-9]+)?") ? seconds(new BigDecimal(text))
                        : Duration.parse(text.toUpperCase(Locale.ROOT));
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // Reported below.
        }
        throw new InvalidRequestException("waitTimeout must be an ISO-8601 duration (\"PT30S\")"
                + " or a number of seconds, got " + value, "/waitTimeout");
    }

    private static Duration seconds(BigDecimal seconds) {
        return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
    }

    /** True for CANCEL, false for CONTINUE or nothing. */
    public boolean cancelOnWaitTimeout() {
        if (onWaitTimeout == null || onWaitTimeout.equalsIgnoreCase("CONTINUE")) {
            return false;
        }
        if (onWaitTimeout.equalsIgnoreCase("CANCEL")) {
            return true;
        }
        throw new InvalidRequestException("onWaitTimeout must be CONTINUE or CANCEL, got '"
                + onWaitTimeout + "'", "/onWaitTimeout");
    }

    /**
     * What makes two requests the same statement (how long to wait does not): a hash of their JSON,
     * object members sorted, so member order does not matter.
     */
    public String fingerprint() {
        ArrayNode parts = JsonNodeFactory.instance.arrayNode().add(sql).add(sorted(parameters)).add(limit).add(sorted(dataframe));
        return Audit.fingerprint(parts.toString());
    }

    private static JsonNode sorted(JsonNode node) {
        if (node == null || node.isValueNode()) {
            return node;
        }
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> array.add(sorted(element)));
            return array;
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        Map<String, JsonNode> members = new TreeMap<>();
        node.properties().forEach(member -> members.put(member.getKey(), member.getValue()));
        members.forEach((name, value) -> object.set(name, sorted(value)));
        return object;
    }
}
