package dev.sparkgateway.auth.oidc;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The token issuer of {@code gateway.auth.mode=oidc} and the claims a {@code Principal} is read from. */
@ConfigMapping(prefix = "gateway.auth.oidc")
public interface OidcConfig {

    /** The issuer ({@code iss}) tokens must name; required in oidc mode (env GATEWAY_AUTH_OIDC_ISSUER). */
    Optional<String> issuer();

    /** Where the issuer's signing keys are; unset: the {@code jwks_uri} of {@code <issuer>/.well-known/openid-configuration}. */
    Optional<URI> jwksUrl();

    /** Audiences ({@code aud}) of which a token must name one; unset: not checked. */
    Optional<List<String>> audience();

    /** The claim naming the principal (statement owner, log lines). */
    @WithDefault("sub")
    String principalClaim();

    /** The claim naming the Spark user; unset: the principal claim. */
    Optional<String> sparkUserClaim();

    /** The claim with the roles: a JSON array of strings, or one string separated by spaces or commas. */
    @WithDefault("groups")
    String rolesClaim();
}
