package dev.sparkgateway.auth;

import dev.sparkgateway.problem.Problems;
import dev.sparkgateway.error.DeniedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Authenticates every request before any route sees it (JAX-RS resources and Quarkus' own
 * {@code /q/*} routes alike), except the documents anyone may read: health, OpenAPI, Swagger UI,
 * the problem type pages, the web console's static files (its API calls carry credentials), and
 * {@code /q/metrics} unless {@code gateway.auth.protect-metrics}.
 */
@ApplicationScoped
public class AuthFilter {

    /** Where the principal is kept on the request, for {@link CurrentPrincipal}. */
    static final String PRINCIPAL = "gateway.principal";
    // Before every Quarkus route (their orders are positive) so nothing runs unauthenticated.
    private static final int ORDER = -1_000;

    private final Authenticator authenticator;
    private final AuthConfig config;

    public AuthFilter(Authenticator authenticator, AuthConfig config) {
        this.authenticator = authenticator;
        this.config = config;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        String path = context.normalizedPath();
        boolean metrics = path.equals("/q/metrics") || path.startsWith("/q/metrics/");
        if (isOpen(path) || (metrics && !config.protectMetrics())) {
            context.next();
            return;
        }
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (!authenticator.blocking()) {
            admit(context, authorization, metrics);
            return;
        }
        // Verifying a token may fetch the issuer's keys: off the event loop, with the body held back meanwhile.
        context.request().pause();
        context.vertx().<Principal>executeBlocking(() -> authenticator.authenticate(authorization), false)
                .onComplete(result -> {
                    context.request().resume();
                    if (result.succeeded()) {
                        proceed(context, result.result(), metrics);
                    } else {
                        reject(context, result.cause());
                    }
                });
    }

    private void admit(RoutingContext context, String authorization, boolean metrics) {
        Principal principal;
        try {
            principal = authenticator.authenticate(authorization);
        } catch (RuntimeException e) {
            reject(context, e);
            return;
        }
        proceed(context, principal, metrics);
    }

    private void proceed(RoutingContext context, Principal principal, boolean metrics) {
        if (metrics && !Authenticator.mayReadMetrics(principal)) {
            Problems.respond(context, DeniedException.forbidden("Reading /q/metrics needs the 'admin' or 'metrics' role"));
            return;
        }
        context.put(PRINCIPAL, principal);
        context.next();
    }

    private static void reject(RoutingContext context, Throwable error) {
        Problems.respond(context, error);
    }

    static boolean isOpen(String path) {
        return path.equals("/q/health") || path.startsWith("/q/health/")
                || path.equals("/openapi") || path.equals("/q/openapi") || path.startsWith("/openapi.")
                || path.equals("/q/swagger-ui") || path.startsWith("/q/swagger-ui/")
                || path.equals("/problems") || path.startsWith("/problems/")
                || isConsole(path);
    }

    /** The console's page and files (docs/console.md): static, the same for everyone, no data in them. */
    static boolean isConsole(String path) {
        return path.equals("/") || path.equals("/index.html") || path.startsWith("/console/")
                || path.startsWith("/_static/codemirror/");
    }
}
