package dev.sparkgateway.api.problem;

/** A client error found by the gateway itself (not by Spark). */
public class RequestException extends RuntimeException {

    private final ProblemType type;
    private final String pointer;

    public RequestException(ProblemType type, String message) {
        this(type, message, null);
    }

    public RequestException(ProblemType type, String message, String pointer) {
        super(message);
        this.type = type;
        this.pointer = pointer;
    }

    public ProblemType type() {
        return type;
    }

    public String pointer() {
        return pointer;
    }
}
