package dev.sparkgateway.api;

import dev.sparkgateway.observe.GatewayMetrics;
import dev.sparkgateway.observe.RequestLog;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one place that records how a synchronous request ended: its request-log line and its
 * metrics, whether it streamed a body or failed before one.
 */
@ApplicationScoped
public class RequestOutcomes {

    private final GatewayMetrics metrics;

    public RequestOutcomes(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    public void record(RequestInfo request, String format, int status, long rows, long bytes, String operationId) {
        RequestLog.log(request.requestId(), request.endpoint(), format, status, rows, bytes, request.elapsed(),
                operationId, request.audit());
        metrics.statement(request.endpoint(), format, status, request.elapsed(), rows, bytes);
    }

    /** A Spark error class seen in a failure, counted once per failed request. */
    public void sparkError(String errorClass) {
        metrics.sparkError(errorClass);
    }
}
