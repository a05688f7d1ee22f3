package dev.sparkgateway.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts a {@link TokenIssuer} for a test profile and points {@code gateway.auth.mode=oidc} at it
 * (discovery, no JWKS URL configured). Stopped when the profile's app stops; all its threads are
 * daemons, so it never outlives the JVM.
 */
public class TokenIssuerResource implements QuarkusTestResourceLifecycleManager {

    /** The audience tokens must name. */
    public static final String AUDIENCE = "spark-gateway";

    private TokenIssuer issuer;

    @Override
    public Map<String, String> start() {
        issuer = TokenIssuer.start();
        return Map.of("gateway.auth.mode", "oidc",
                "gateway.auth.oidc.issuer", issuer.issuer(),
                "gateway.auth.oidc.audience", AUDIENCE,
                "gateway.auth.oidc.spark-user-claim", "preferred_username");
    }

    @Override
    public void stop() {
        if (issuer != null) {
            issuer.close();
        }
    }
}
