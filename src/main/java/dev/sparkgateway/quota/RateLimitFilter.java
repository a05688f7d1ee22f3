package dev.sparkgateway.quota;

import dev.sparkgateway.problem.Problems;
import dev.sparkgateway.auth.CurrentPrincipal;
import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.error.LimitExceededException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Applies the principal's request rate right after authentication, as a router handler: a refused
 * request costs no JAX-RS dispatch, no body read and no Spark round trip, and Quarkus' own
 * protected routes ({@code /q/metrics}) count too. Open documents (no principal) are not counted.
 */
@ApplicationScoped
public class RateLimitFilter {

    // Just after AuthFilter (-1000), before every Quarkus route.
    private static final int ORDER = -999;

    private final Quotas quotas;

    public RateLimitFilter(Quotas quotas) {
        this.quotas = quotas;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        Principal principal = CurrentPrincipal.on(context).orElse(null);
        if (principal != null) {
            try {
                quotas.request(principal);
            } catch (LimitExceededException e) {
                Problems.respond(context, e);
                return;
            }
        }
        context.next();
    }
}
