package dev.sparkgateway.auth;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** The principal of the request being served, as {@link AuthFilter} found it. */
@ApplicationScoped
public class CurrentPrincipal {

    private final CurrentVertxRequest request;

    public CurrentPrincipal(CurrentVertxRequest request) {
        this.request = request;
    }

    /** Only for requests that passed {@link AuthFilter}; an open path has no principal. */
    public Principal get() {
        RoutingContext context = request.getCurrent();
        Principal principal = context == null ? null : context.get(AuthFilter.PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("no authenticated principal on this request");
        }
        return principal;
    }
}
