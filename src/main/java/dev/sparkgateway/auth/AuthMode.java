package dev.sparkgateway.auth;

/** How callers prove who they are ({@code gateway.auth.mode}). */
public enum AuthMode {
    /** Nobody authenticates: every caller is the anonymous principal. The HTTP server binds to loopback. */
    NONE,
    /** {@code Authorization: Bearer <key>}, checked against the SHA-256 hashes in {@code gateway.auth.api-keys-file}. */
    API_KEY,
    /** {@code Authorization: Bearer <JWT>}, verified against the issuer's published keys. */
    OIDC
}
