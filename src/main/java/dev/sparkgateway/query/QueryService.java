package dev.sparkgateway.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.sparkgateway.connect.Execution;
import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.error.InternalException;
import dev.sparkgateway.plan.Relations;
import dev.sparkgateway.plan.SqlPlans;
import dev.sparkgateway.result.ResultColumn;
import dev.sparkgateway.session.SessionLease;
import dev.sparkgateway.session.SessionLeases;
import dev.sparkgateway.types.SparkType;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.spark.connect.proto.DataType;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Relation;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs statements: leases a session (pooled, or the named one the request joined), executes, and
 * hands back a {@link QueryResult} once Spark has answered with the schema and the first batch.
 */
@ApplicationScoped
public class QueryService {

    private final SessionLeases leases;
    private final SparkConnectClient client;
    private final QueryConfig config;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("query-deadlines").setDaemon(true).build());

    public QueryService(SessionLeases leases, SparkConnectClient client, QueryConfig config) {
        this.leases = leases;
        this.client = client;
        this.config = config;
    }

    @PreDestroy
    void stop() {
        timers.shutdownNow();
    }

    /**
     * SQL the way the official clients run it: the SqlCommand step (the server runs a command at
     * once, or answers with the query's relation), then that relation as a root plan. Text that can
     * only be a query, on a plain stream, goes straight to the second step: the SqlCommand round
     * trip was 5.2 ms of a 23.8 ms {@code SELECT 1} (p50, warm, 2026-12-07). Statements
     * (reattachable) keep both steps: on 25 Nov the one-step form left cancelled statements
     * hanging there (StatementBoundsTest), not yet re-tried.
     */
    public QueryResult sql(String sql, JsonNode parameters, RunOptions options, Cancellation cancellation) {
        if (!options.reattachable() && SqlPlans.isQuery(sql)) {
            Relation query = SqlPlans.sql(sql, parameters);
            return run(cancellation, options, lease -> open(lease, SqlPlans.root(query, options.limit()), options, cancellation));
        }
        Plan command = SqlPlans.command(sql, parameters);
        return run(cancellation, options, lease -> {
            Relation relation = runCommand(lease, command, options, cancellation);
            return open(lease, SqlPlans.root(relation, options.limit()), options, cancellation);
        });
    }

    /**
     * A relation (a DataFrame spec, a raw plan). Its SQL nodes run first as SQL commands, as
     * {@code spark.sql(...)} does, so a command among them is noticed (and its session not reused).
     */
    public QueryResult relation(Relation relation, RunOptions options, Cancellation cancellation) {
        return run(cancellation, options, lease -> {
            Relation resolved = Relations.replaceSql(relation,
                    sql -> runCommand(lease, SqlPlans.command(sql), options, cancellation));
            return open(lease, SqlPlans.root(resolved, options.limit()), options, cancellation);
        });
    }

    private QueryResult run(Cancellation cancellation, RunOptions options, Function<SessionLease, QueryResult> body) {
        startTimer(cancellation, options);
        SessionLease lease = null;
        try {
            lease = leases.lease(options.scope());
            return body.apply(lease);
        } catch (RuntimeException e) {
            if (lease != null) {
                lease.close();
            }
            cancellation.close();
            throw cancellation.translate(e);
        }
    }

    /** The smaller of gateway.query.timeout (synchronous endpoints) and the caller's quota, named as such in the error. */
    private void startTimer(Cancellation cancellation, RunOptions options) {
        Optional<Duration> global = options.timed() ? config.timeout() : Optional.empty();
        Optional<Duration> quota = options.limits().timeout();
        if (quota.isPresent() && (global.isEmpty() || quota.get().compareTo(global.get()) < 0)) {
            cancellation.startTimer(quota, QueryLimits.TIMEOUT_SETTING, timers);
        } else {
            cancellation.startTimer(global, "gateway.query.timeout", timers);
        }
    }

    private Execution execute(SessionLease lease, Plan plan, RunOptions options, Cancellation cancellation) {
        Execution execution = client.execute(lease.session(), plan, options.executeOptions());
        options.started().accept(SparkOperation.of(lease.session(), execution.operationId()));
        return cancellation.watch(new ObservedExecution(execution, options.progress()));
    }

    private Relation runCommand(SessionLease lease, Plan command, RunOptions options, Cancellation cancellation) {
        try {
            return lease.retryIfStale(() -> {
                try (Execution execution = execute(lease, command, options, cancellation)) {
                    return commandResult(lease, execution);
                }
            });
        } catch (RuntimeException e) {
            // A failed statement may have changed state halfway; do not reuse the session.
            lease.markDirty();
            throw e;
        }
    }

    private static Relation commandResult(SessionLease lease, Execution execution) {
        Relation result = null;
        ExecutePlanResponse response;
        while ((response = execution.next()) != null) {
            if (response.hasSqlCommandResult()) {
                result = response.getSqlCommandResult().getRelation();
            }
        }
        if (result == null) {
            throw InternalException.ofSpark(
                    "Spark answered the SQL command without a result relation");
        }
        // A plain query comes back as the SQL relation itself; anything else means the server
        // ran a command, which may have changed session state (SET, temp views, USE...).
        if (!result.hasSql()) {
            lease.markDirty();
        }
        return result;
    }

    private QueryResult open(SessionLease lease, Plan plan, RunOptions options, Cancellation cancellation) {
        return lease.retryIfStale(() -> {
            Execution execution = execute(lease, plan, options, cancellation);
            try {
                DataType schema = null;
                ExecutePlanResponse response;
                while ((response = execution.next()) != null) {
                    if (response.hasSchema()) {
                        schema = response.getSchema();
                    }
                    if (response.hasArrowBatch()) {
                        break;
                    }
                }
                if (schema == null) {
                    throw InternalException.ofSpark("Spark sent no schema for the result");
                }
                return new QueryResult(lease, execution, cancellation, columns(schema), response, options.limit(),
                        options.limits().maxResultBytes());
            } catch (RuntimeException e) {
                execution.close();
                throw e;
            }
        });
    }

    static List<ResultColumn> columns(DataType schema) {
        if (!schema.hasStruct()) {
            return List.of(new ResultColumn("value", new SparkType(schema), true));
        }
        return schema.getStruct().getFieldsList().stream()
                .map(f -> new ResultColumn(f.getName(), new SparkType(f.getDataType()), f.getNullable()))
                .toList();
    }
}
