package dev.sparkgateway.auth;

/** Verifies bearer tokens of {@code gateway.auth.mode=oidc}; may block (it fetches the issuer's keys). */
public interface TokenVerifier {

    /** The principal the token names; {@link dev.sparkgateway.error.DeniedException} if it is not valid. */
    Principal verify(String token);

    /** One line for the startup log (issuer, claims used), without secrets. */
    String describe();
}
