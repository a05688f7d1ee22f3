package dev.sparkgateway.auth;

/**
 * Missing or bad credentials: a 401 with {@code WWW-Authenticate: Bearer}. The message is shown to
 * the caller, so it never contains the credential itself.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3</a>
 */
public class AuthenticationException extends RuntimeException {

    private final boolean credentialsSent;

    public AuthenticationException(String message, boolean credentialsSent) {
        super(message);
        this.credentialsSent = credentialsSent;
    }

    /** The {@code WWW-Authenticate} challenge: {@code error="invalid_token"} only when a token was sent. */
    public String challenge() {
        return credentialsSent
                ? "Bearer realm=\"spark-connect-gateway\", error=\"invalid_token\""
                : "Bearer realm=\"spark-connect-gateway\"";
    }
}
