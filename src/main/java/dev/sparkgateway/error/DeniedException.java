package dev.sparkgateway.error;

/** The caller is not known (401) or not allowed (403). Messages never contain a credential. */
public final class DeniedException extends GatewayException {

    public enum Reason {
        /** Missing or bad credentials. */
        UNAUTHENTICATED,
        /** Authenticated, but its roles do not allow the request. */
        FORBIDDEN,
        /** The statement uses something a restricted principal may not (found by the gateway itself). */
        POLICY
    }

    private final boolean credentialsSent;

    private DeniedException(Reason reason, String message, boolean credentialsSent) {
        super(reason, message, null, null);
        this.credentialsSent = credentialsSent;
    }

    /** @param credentialsSent whether the caller sent a credential (then the challenge says it was invalid) */
    public static DeniedException unauthenticated(String message, boolean credentialsSent) {
        return new DeniedException(Reason.UNAUTHENTICATED, message, credentialsSent);
    }

    public static DeniedException forbidden(String message) {
        return new DeniedException(Reason.FORBIDDEN, message, true);
    }

    public static DeniedException policy(String message) {
        return new DeniedException(Reason.POLICY, message, true);
    }

    public Reason reason() {
        return (Reason) kind();
    }

    /**
     * The {@code WWW-Authenticate} challenge of a 401: {@code error="invalid_token"} only when a token
     * was sent (<a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3</a>).
     */
    public String challenge() {
        return credentialsSent
                ? "Bearer realm=\"spark-connect-gateway\", error=\"invalid_token\""
                : "Bearer realm=\"spark-connect-gateway\"";
    }
}
