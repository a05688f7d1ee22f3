package dev.sparkgateway.auth;

import dev.sparkgateway.error.DeniedException;
import dev.sparkgateway.connect.SparkConnectConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Locale;
import java.util.Set;

/** Turns a request's {@code Authorization} header into a {@link Principal}, per {@code gateway.auth.mode}. */
@ApplicationScoped
public class Authenticator {

    private static final Logger LOG = Logger.getLogger(Authenticator.class);
    private static final String BEARER = "bearer ";

    private final AuthConfig config;
    private final Principal anonymous;
    private final Instance<TokenVerifier> oidc;
    private volatile ApiKeys apiKeys;

    public Authenticator(AuthConfig config, SparkConnectConfig spark, Instance<TokenVerifier> oidc) {
        this.config = config;
        this.oidc = oidc;
        this.anonymous = new Principal(config.anonymousPrincipal(), config.anonymousSparkUser().orElse(spark.userId()),
                Set.copyOf(config.anonymousRoles()));
    }

    /** Fails startup on a bad configuration, before any request is taken. */
    void start(@Observes StartupEvent event, @ConfigProperty(name = "quarkus.http.host") String host,
            @ConfigProperty(name = "quarkus.http.port") int port) {
        switch (config.mode()) {
            case NONE -> LOG.infof("gateway.auth.mode=none: no authentication, so the gateway is open to anyone who can reach"
                    + " %s:%d; every caller is '%s' with roles %s", host, port, anonymous.name(), anonymous.roles());
            case API_KEY -> {
                ApiKeys keys = keys();
                LOG.infof("gateway.auth.mode=api-key: %d key(s) of %d principal(s) from %s", keys.size(), keys.principals(),
                        keys.file());
            }
            case OIDC -> {
                if (!oidc.isResolvable()) {
                    throw new IllegalStateException("gateway.auth.mode=oidc, but no OIDC token verifier is available");
                }
                LOG.infof("gateway.auth.mode=oidc: %s", oidc.get().describe());
            }
        }
    }

    public AuthMode mode() {
        return config.mode();
    }

    /** Whether {@link #authenticate} may block (fetching an issuer's keys): then it must not run on an event loop. */
    public boolean blocking() {
        return config.mode() == AuthMode.OIDC;
    }

    /**
     * The caller behind {@code authorization} (the header's value, null if absent).
     *
     * @throws dev.sparkgateway.error.DeniedException missing, malformed or unknown credentials
     */
    public Principal authenticate(String authorization) {
        if (config.mode() == AuthMode.NONE) {
            return anonymous;
        }
        String token = bearer(authorization);
        if (config.mode() == AuthMode.API_KEY) {
            return keys().find(token).orElseThrow(() -> DeniedException.unauthenticated("The API key is not valid", true));
        }
        return oidc.get().verify(token);
    }

    static String bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw DeniedException.unauthenticated("Authentication required: send 'Authorization: Bearer <credential>'", false);
        }
        String value = authorization.strip();
        if (value.length() <= BEARER.length() || !value.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            throw DeniedException.unauthenticated("The Authorization header must be 'Bearer <credential>'", true);
        }
        return value.substring(BEARER.length()).strip();
    }

    private ApiKeys keys() {
        ApiKeys keys = apiKeys;
        if (keys == null) {
            synchronized (this) {
                if (apiKeys == null) {
                    apiKeys = new ApiKeys(config.apiKeysFile().orElseThrow(() -> new IllegalStateException(
                            "gateway.auth.mode=api-key needs gateway.auth.api-keys-file (env GATEWAY_AUTH_API_KEYS_FILE)")),
                            config.apiKeysReloadInterval());
                }
                keys = apiKeys;
            }
        }
        return keys;
    }

    /** The principal of {@code none} mode. */
    public Principal anonymous() {
        return anonymous;
    }

    /** Whether {@code principal} may read {@code /q/metrics} when it is protected. */
    static boolean mayReadMetrics(Principal principal) {
        return principal.admin() || principal.roles().contains("metrics");
    }
}
