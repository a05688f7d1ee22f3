package dev.sparkgateway.query;

import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.plan.Relations;
import dev.sparkgateway.result.ResultColumn;
import dev.sparkgateway.session.SessionLease;
import dev.sparkgateway.session.SessionLeases;
import dev.sparkgateway.session.SessionScope;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.AnalyzePlanResponse;
import org.apache.spark.connect.proto.DataType;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Relation;

import java.util.List;
import java.util.function.Function;

/**
 * Schema and explain without running anything. Spark plans SQL commands by running them, so every
 * SQL node is first analysed as {@code SELECT * FROM (...)}: a command fails to parse there
 * instead of creating, dropping or setting something.
 */
@ApplicationScoped
public class Analysis {

    /** Spark's explain modes, as {@code ?mode=} names them. */
    public enum ExplainMode {
        SIMPLE(AnalyzePlanRequest.Explain.ExplainMode.EXPLAIN_MODE_SIMPLE),
        EXTENDED(AnalyzePlanRequest.Explain.ExplainMode.EXPLAIN_MODE_EXTENDED),
        CODEGEN(AnalyzePlanRequest.Explain.ExplainMode.EXPLAIN_MODE_CODEGEN),
        COST(AnalyzePlanRequest.Explain.ExplainMode.EXPLAIN_MODE_COST),
        FORMATTED(AnalyzePlanRequest.Explain.ExplainMode.EXPLAIN_MODE_FORMATTED);

        private final AnalyzePlanRequest.Explain.ExplainMode proto;

        ExplainMode(AnalyzePlanRequest.Explain.ExplainMode proto) {
            this.proto = proto;
        }
    }

    private final SessionLeases leases;
    private final SparkConnectClient client;

    public Analysis(SessionLeases leases, SparkConnectClient client) {
        this.leases = leases;
        this.client = client;
    }

    public List<ResultColumn> schema(SessionScope scope, Relation relation) {
        return analyze(scope, lease -> {
            if (!relation.hasSql()) {
                guard(lease, relation);
                return QueryService.columns(schemaOf(lease, relation));
            }
            // A lone SQL node: its subquery form is both the guard and the answer (same columns).
            try {
                return QueryService.columns(schemaOf(lease, Relations.asSubquery(relation)));
            } catch (SparkException e) {
                throw explained(e);
            }
        });
    }

    private DataType schemaOf(SessionLease lease, Relation relation) {
        return client.analyze(lease.session(), AnalyzePlanRequest.newBuilder()
                .setSchema(AnalyzePlanRequest.Schema.newBuilder().setPlan(root(relation)))).getSchema().getSchema();
    }

    public String explain(SessionScope scope, Relation relation, ExplainMode mode) {
        return analyze(scope, lease -> {
            guard(lease, relation);
            AnalyzePlanResponse response = client.analyze(lease.session(), AnalyzePlanRequest.newBuilder()
                    .setExplain(AnalyzePlanRequest.Explain.newBuilder().setPlan(root(relation)).setExplainMode(mode.proto)));
            return response.getExplain().getExplainString();
        });
    }

    private <T> T analyze(SessionScope scope, Function<SessionLease, T> body) {
        try (SessionLease lease = leases.lease(scope)) {
            return lease.retryIfStale(() -> body.apply(lease));
        }
    }

    /** Analyses each SQL node as a subquery; throws if one is not a query. */
    private void guard(SessionLease lease, Relation relation) {
        Relations.replaceSql(relation, sql -> {
            try {
                schemaOf(lease, Relations.asSubquery(sql));
            } catch (SparkException e) {
                throw explained(e);
            }
            return sql;
        });
    }

    /** A parse error of the subquery form usually means a command: say why it is refused. */
    private static SparkException explained(SparkException e) {
        if (!e.errorClass().orElse("").startsWith("PARSE_")) {
            return e;
        }
        return e.withMessage(e.getMessage() + " (schema and explain take queries only, analysed as"
                + " SELECT * FROM (<query>): Spark would run a command such as DDL, DML or SET while planning it)");
    }

    private static Plan root(Relation relation) {
        return Plan.newBuilder().setRoot(relation).build();
    }
}
