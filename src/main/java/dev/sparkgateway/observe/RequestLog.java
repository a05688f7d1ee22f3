package dev.sparkgateway.observe;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;

/**
 * One line per statement request. The fields also go to the MDC, so with JSON logging
 * ({@code quarkus.log.console.json.enabled=true}) each is its own JSON field.
 */
public final class RequestLog {

    private static final Logger LOG = Logger.getLogger("dev.sparkgateway.request");

    private RequestLog() {
    }

    public static void log(String requestId, String endpoint, String format, int status, long rows, long bytes,
            Duration duration, String operationId) {
        requestId = LogText.escape(requestId);
        endpoint = LogText.escape(endpoint);
        MDC.put("requestId", String.valueOf(requestId));
        MDC.put("endpoint", endpoint);
        MDC.put("format", format);
        MDC.put("status", Integer.toString(status));
        MDC.put("rows", Long.toString(rows));
        MDC.put("bytes", Long.toString(bytes));
        MDC.put("durationMs", Long.toString(duration.toMillis()));
        MDC.put("operationId", String.valueOf(operationId));
        try {
            LOG.infof("request=%s endpoint=%s format=%s status=%d rows=%d bytes=%d duration_ms=%d operation=%s",
                    requestId, endpoint, format, status, rows, bytes, duration.toMillis(), operationId);
        } finally {
            for (String key : new String[] {"requestId", "endpoint", "format", "status", "rows", "bytes", "durationMs", "operationId"}) {
                MDC.remove(key);
            }
        }
    }
}
