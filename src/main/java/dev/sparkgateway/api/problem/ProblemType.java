package dev.sparkgateway.api.problem;

/** Every kind of problem the gateway reports; docs/errors.md lists them. */
public enum ProblemType {
    INVALID_REQUEST(400, "Invalid request"),
    SPARK_ERROR(400, "Spark rejected the statement"),
    SPARK_CONFLICT(409, "Spark reports a conflict"),
    NOT_FOUND(404, "Not found"),
    RESULT_UNAVAILABLE(409, "Result not available"),
    IDEMPOTENCY_CONFLICT(422, "Idempotency-Key reused for a different request"),
    TOO_MANY_STATEMENTS(429, "Too many statements"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "No acceptable result format"),
    PAYLOAD_TOO_LARGE(413, "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported request media type"),
    /** Never seen by the client (it left); recorded in logs and metrics, as nginx does with 499. */
    CLIENT_CLOSED(499, "Client closed the request"),
    INTERNAL(500, "Internal gateway error"),
    SPARK_INTERNAL(502, "Spark failed"),
    SPARK_UNAVAILABLE(503, "Spark Connect unavailable"),
    /** An operator's problem, not the caller's: the gateway's Spark Connect token is missing or wrong. */
    SPARK_CREDENTIALS(503, "Spark Connect refused the gateway's credentials"),
    POOL_EXHAUSTED(503, "No Spark session available"),
    SPARK_TIMEOUT(504, "Spark operation cancelled or timed out"),
    SPOOL_FULL(507, "Result does not fit into the spool");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** A relative URI reference, resolved against the gateway's own address. */
    public String uri() {
        return "/problems/" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
