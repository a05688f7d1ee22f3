package dev.sparkgateway.auth.oidc;

import dev.sparkgateway.error.DeniedException;
import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.auth.TokenVerifier;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;

import java.net.URI;
import java.util.EnumSet;
import java.util.Set;

/**
 * Verifies bearer JWTs with SmallRye JWT (the library of the quarkus-smallrye-jwt extension):
 * signature against the issuer's JWKS (fetched once, refreshed when a token names an unknown key
 * id), {@code iss}, optionally {@code aud}, {@code exp}/{@code nbf}/{@code iat} with SmallRye's
 * 60 s clock skew, and only asymmetric algorithms (never {@code none}, never HMAC with a public key).
 * <p>
 * The parser is built here from {@link OidcConfig} rather than through {@code mp.jwt.verify.*}:
 * the JWKS location may come from OIDC discovery, which that configuration cannot express, and
 * {@code JWTParser.parse(token, info)} on the extension's bean builds a new key resolver per call
 * (the JWKS would be fetched for every request). One {@link DefaultJWTParser} with its own
 * principal factory keeps one key resolver, hence one JWKS cache. The extension's own HTTP
 * mechanism is disabled ({@code quarkus.smallrye-jwt.enabled=false}), so it never sees a request.
 */
@ApplicationScoped
public class JwtTokenVerifier implements TokenVerifier {

    // Asymmetric only: a JWKS holds public keys, and HS* "signed" with one would be forgeable.
    private static final Set<SignatureAlgorithm> ALGORITHMS = EnumSet.of(SignatureAlgorithm.RS256, SignatureAlgorithm.RS384,
            SignatureAlgorithm.RS512, SignatureAlgorithm.PS256, SignatureAlgorithm.PS384, SignatureAlgorithm.PS512,
            SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512, SignatureAlgorithm.EDDSA);

    private static final Logger LOG = Logger.getLogger(JwtTokenVerifier.class);

    private final OidcConfig config;
    private final TokenClaims claims;
    private final OidcDiscovery discovery;
    private volatile JWTParser parser;

    public JwtTokenVerifier(OidcConfig config) {
        this.config = config;
        this.claims = TokenClaims.of(config);
        this.discovery = new OidcDiscovery(issuer(config));
    }

    private static String issuer(OidcConfig config) {
        return config.issuer().filter(i -> !i.isBlank()).orElseThrow(() -> new IllegalStateException(
                "gateway.auth.mode=oidc needs gateway.auth.oidc.issuer (env GATEWAY_AUTH_OIDC_ISSUER)"));
    }

    @Override
    public Principal verify(String token) {
        JsonWebToken jwt;
        try {
            jwt = parser().parse(token);
        } catch (ParseException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debugf("token refused: %s", causes(e));
            }
            throw DeniedException.unauthenticated(reason(e), true);
        }
        return claims.read(jwt::getClaim);
    }

    @Override
    public String describe() {
        return "tokens of issuer " + discovery.issuer() + ", keys from "
                + config.jwksUrl().map(URI::toString).orElse(discovery.url() + " (jwks_uri)")
                + config.audience().map(a -> ", audience " + a).orElse(", any audience")
                + ", principal claim '" + claims.principal() + "', Spark user claim '" + claims.sparkUser()
                + "', roles claim '" + claims.roles() + "'";
    }

    /** Built on first use: discovery is an HTTP call, made off the event loop (AuthFilter) and retried until it works. */
    private JWTParser parser() {
        JWTParser p = parser;
        if (p == null) {
            synchronized (this) {
                if (parser == null) {
                    URI jwks = config.jwksUrl().orElseGet(discovery::jwksUri);
                    parser = new DefaultJWTParser(contextInfo(jwks), new DefaultJWTCallerPrincipalFactory());
                }
                p = parser;
            }
        }
        return p;
    }

    private JWTAuthContextInfo contextInfo(URI jwks) {
        JWTAuthContextInfo info = new JWTAuthContextInfo(jwks.toString(), discovery.issuer());
        info.setSignatureAlgorithm(ALGORITHMS);
        config.audience().ifPresent(a -> info.setExpectedAudience(Set.copyOf(a)));
        // The principal claim is ours to choose (TokenClaims checks it), not SmallRye's upn/preferred_username/sub.
        info.setRequireNamedPrincipal(false);
        // A token naming a key id the cached JWKS lacks refetches it (key rotation), at most every 5 minutes.
        info.setForcedJwksRefreshInterval(5);
        return info;
    }

    /** The exception classes and jose4j error codes, never messages (they may quote claims). */
    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(b.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName());
            if (t instanceof InvalidJwtException invalid) {
                invalid.getErrorDetails().forEach(d -> b.append(" code ").append(d.getErrorCode()));
            }
        }
        return b.toString();
    }

    /** What is wrong with the token, in words for the caller; never the token itself. */
    static String reason(ParseException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException invalid) {
                if (invalid.hasExpired()) {
                    return "The token has expired";
                }
                if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID) || invalid.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
                    return "The token is not valid yet";
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return "The token is not from the configured issuer";
                }
                if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                    return "The token is not meant for this gateway (audience)";
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || invalid.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
                    return "The token's signature is not valid for the issuer's keys";
                }
                if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
                    return "The token has no expiry ('exp')";
                }
            }
            if (t instanceof UnresolvableKeyException) {
                return "The token is not signed by a key of the issuer, or its algorithm is not accepted";
            }
        }
        return "The token is not a valid signed JWT of the configured issuer";
    }
}
