package dev.sparkgateway.audit;

import dev.sparkgateway.auth.CurrentPrincipal;
import dev.sparkgateway.observe.Audit;
import dev.sparkgateway.auth.Principal;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Attaches the {@link Audit} of the statement being served to its request, so that whichever path
 * logs the request's line (its result stream, or the problem mapper when it failed first) names the
 * same principal and statement.
 */
@ApplicationScoped
public class Auditing {

    private static final String KEY = "gateway.audit";

    @Inject
    AuditConfig config;
    @Inject
    CurrentVertxRequest request;
    @Inject
    CurrentPrincipal caller;

    /** Records that the current request runs {@code statement} as {@code principal}. */
    public Audit statement(Principal principal, String statement) {
        Audit audit = new Audit(principal.name(), principal.sparkUser(), Audit.fingerprint(statement),
                config.logStatements() ? statement : null);
        RoutingContext context = request.getCurrent();
        if (context != null) {
            context.put(KEY, audit);
        }
        return audit;
    }

    /** The current request's audit: its statement if one was recorded, else just its principal, if any. */
    public Optional<Audit> current() {
        RoutingContext context = request.getCurrent();
        if (context == null) {
            return Optional.empty();
        }
        Audit audit = context.get(KEY);
        if (audit != null) {
            return Optional.of(audit);
        }
        return caller.find().map(p -> Audit.principalOnly(p.name(), p.sparkUser()));
    }
}
