package dev.sparkgateway.auth.oidc;

import dev.sparkgateway.error.DeniedException;
import dev.sparkgateway.error.UnavailableException;
import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.testing.TokenIssuer;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The verifier on its own, against a real {@link TokenIssuer}: which token is refused with which words. */
class JwtTokenVerifierTest {

    private static TokenIssuer issuer;
    private static JwtTokenVerifier verifier;

    record Config(Optional<String> issuer, Optional<URI> jwksUrl, Optional<List<String>> audience, String principalClaim,
            Optional<String> sparkUserClaim, String rolesClaim) implements OidcConfig {
    }

    @BeforeAll
    static void start() {
        issuer = TokenIssuer.start();
        verifier = new JwtTokenVerifier(new Config(Optional.of(issuer.issuer()), Optional.empty(), Optional.of(List.of("gw")),
                "sub", Optional.empty(), "groups"));
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    private static String sign(Map<String, Object> claims) throws Exception {
        JwtClaims c = TokenIssuer.claims(issuer.issuer(), Map.of("aud", "gw", "sub", "erin"));
        claims.forEach(c::setClaim);
        return TokenIssuer.sign(c, issuer.key(), AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    private static String refusal(String token) {
        return assertThrows(DeniedException.class, () -> verifier.verify(token)).getMessage();
    }

    @Test
    void oidcModeWithoutAnIssuerFailsAtStartWithTheKeyToSet() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new JwtTokenVerifier(new Config(Optional.empty(),
                Optional.empty(), Optional.empty(), "sub", Optional.empty(), "groups")));
        assertEquals("gateway.auth.mode=oidc needs gateway.auth.oidc.issuer (env GATEWAY_AUTH_OIDC_ISSUER)", e.getMessage());
    }

    @Test
    void anUnreachableIssuerIs503NotTheCallersFault() throws Exception {
        JwtTokenVerifier unreachable = new JwtTokenVerifier(new Config(Optional.of("http://127.0.0.1:1/realms/none"),
                Optional.empty(), Optional.empty(), "sub", Optional.empty(), "groups"));
        UnavailableException e = assertThrows(UnavailableException.class, () -> unreachable.verify(sign(Map.of())));
        assertEquals(UnavailableException.Reason.ISSUER, e.reason());
    }

    @Test
    void aValidTokenIsItsPrincipal() throws Exception {
        Principal p = verifier.verify(sign(Map.of("groups", List.of("admin"))));
        assertEquals(new Principal("erin", "erin", Set.of("admin")), p);
    }

    @Test
    void eachRefusalSaysWhy() throws Exception {
        long now = NumericDate.now().getValue();
        assertEquals("The token has expired", refusal(sign(Map.of("iat", now - 7200, "exp", now - 3600))));
        assertEquals("The token is not valid yet", refusal(sign(Map.of("nbf", now + 3600, "exp", now + 3900))));
        assertEquals("The token is not from the configured issuer", refusal(sign(Map.of("iss", "http://elsewhere"))));
        assertEquals("The token is not meant for this gateway (audience)", refusal(sign(Map.of("aud", "other"))));
        assertEquals("The token's signature is not valid for the issuer's keys", refusal(TokenIssuer.sign(
                TokenIssuer.claims(issuer.issuer(), Map.of("aud", "gw", "sub", "erin")), TokenIssuer.rsaKey("issuer-key-1"),
                AlgorithmIdentifiers.RSA_USING_SHA256)));
        assertEquals("The token is not signed by a key of the issuer, or its algorithm is not accepted", refusal(TokenIssuer.sign(
                TokenIssuer.claims(issuer.issuer(), Map.of("aud", "gw", "sub", "erin")), null, AlgorithmIdentifiers.NONE)));
        assertEquals("The token is not a valid signed JWT of the configured issuer", refusal("a.b.c"));
    }
}
