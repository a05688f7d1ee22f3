package dev.sparkgateway.api;

import dev.sparkgateway.audit.Auditing;
import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.error.InvalidRequestException;
import dev.sparkgateway.observe.Audit;
import dev.sparkgateway.plan.dataframe.DataFrameSpecs;
import dev.sparkgateway.query.QueryService;
import dev.sparkgateway.quota.Quotas;
import dev.sparkgateway.session.SessionLeases;
import dev.sparkgateway.session.SessionScope;
import dev.sparkgateway.statement.StatementTask;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.spark.connect.proto.Relation;

import java.util.Optional;
import java.util.OptionalLong;

/** What a submitted statement runs, for whom and within which quota. */
@ApplicationScoped
public class StatementTasks {

    private static final int MAX_KEY_LENGTH = 255;

    private final QueryService queries;
    private final DataFrameConfig dataframes;
    private final Quotas quotas;
    private final Auditing auditing;
    private final SessionLeases leases;

    public StatementTasks(QueryService queries, DataFrameConfig dataframes, Quotas quotas, Auditing auditing,
            SessionLeases leases) {
        this.leases = leases;
        this.queries = queries;
        this.dataframes = dataframes;
        this.quotas = quotas;
        this.auditing = auditing;
    }

    /**
     * The task of {@code request} in {@code scope}, recorded as the current request's statement. A
     * session it cannot join is refused now (404, 410), not reported later as a failed statement.
     */
    public StatementTask of(Principal principal, StatementRequest request, SessionScope scope) {
        leases.check(scope);
        String text = request.sql() != null ? request.sql() : String.valueOf(request.dataframe());
        Audit audit = auditing.statement(principal, text);
        OptionalLong limit = quotas.of(principal).rowLimit(request.limit() == null ? OptionalLong.empty()
                : OptionalLong.of(request.limit()));
        StatementTask.OwnerQuota quota = quotas.statements(principal);
        if (request.sql() == null) {
            // Translated now, so a bad spec is a 400 at submit, not a FAILED statement later.
            Relation relation = DataFrameSpecs.toRelation(request.dataframe(), "/dataframe", dataframes.limits());
            return new StatementTask(principal.name(), scope, audit, request.fingerprint(), limit,
                    (options, cancellation) -> queries.relation(relation, options, cancellation), quota);
        }
        return new StatementTask(principal.name(), scope, audit, request.fingerprint(), limit,
                (options, cancellation) -> queries.sql(request.sql(), request.parameters(), options, cancellation), quota);
    }

    /** The Idempotency-Key header's key, if one was sent. */
    public static Optional<String> idempotencyKey(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        if (header.length() > MAX_KEY_LENGTH) {
            throw new InvalidRequestException("Idempotency-Key is longer than " + MAX_KEY_LENGTH + " characters");
        }
        return Optional.of(header);
    }
}
