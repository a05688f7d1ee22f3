package dev.sparkgateway.observe;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line per statement, the audit trail: who (principal, Spark user), what (endpoint, statement
 * fingerprint, text if configured), and how it ended (status or state, rows, bytes, time). The
 * fields also go to the MDC, so with JSON logging ({@code quarkus.log.console.json.enabled=true})
 * each is its own JSON field.
 */
public final class RequestLog {

    private static final Logger LOG = Logger.getLogger("dev.sparkgateway.request");

    private RequestLog() {
    }

    /** A synchronous request (or a failed one) and its HTTP status. */
    public static void log(String requestId, String endpoint, String format, int status, long rows, long bytes,
            Duration duration, String operationId, Audit audit) {
        write(requestId, endpoint, format, Integer.toString(status), rows, bytes, duration, operationId, audit, "status");
    }

    /** An asynchronous statement that ended, and its final state. */
    public static void statement(String statementId, String state, long rows, long bytes, Duration duration,
            String operationId, Audit audit) {
        write(statementId, "/v1/statements", "-", state, rows, bytes, duration, operationId, audit, "state");
    }

    private static void write(String id, String endpoint, String format, String outcome, long rows, long bytes,
            Duration duration, String operationId, Audit audit, String outcomeName) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(outcomeName.equals("state") ? "statement" : "request", LogText.escape(String.valueOf(id)));
        fields.put("principal", audit == null ? "-" : LogText.escape(audit.principal()));
        fields.put("spark_user", audit == null ? "-" : LogText.escape(audit.sparkUser()));
        fields.put("endpoint", LogText.escape(endpoint));
        fields.put("fingerprint", audit == null || audit.fingerprint() == null ? "-" : audit.fingerprint());
        fields.put("format", format);
        fields.put(outcomeName, outcome);
        fields.put("rows", Long.toString(rows));
        fields.put("bytes", Long.toString(bytes));
        fields.put("duration_ms", Long.toString(duration.toMillis()));
        fields.put("operation", String.valueOf(operationId));
        StringBuilder line = new StringBuilder();
        fields.forEach((key, value) -> line.append(line.length() == 0 ? "" : " ").append(key).append('=').append(value));
        if (audit != null && audit.text() != null) {
            String text = LogText.escape(audit.text());
            fields.put("text", text);
            line.append(" text=\"").append(text.replace("\"", "\\\"")).append('"');
        }
        fields.forEach(MDC::put);
        try {
            LOG.info(line);
        } finally {
            fields.keySet().forEach(MDC::remove);
        }
    }
}
