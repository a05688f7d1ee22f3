package dev.sparkgateway.policy;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

import java.util.Locale;

/**
 * The check rule: for a restricted session, one walk over the analyzed plan ({@link PlanPolicy}).
 * Spark builds one instance per session state, so the instance can latch the mark: once it has
 * seen {@code restricted=true} the session stays restricted, even if the conf is later unset
 * through a channel the analyzer never sees (Spark Connect's Config RPC). SQL cannot unset it:
 * SET and RESET of the key are themselves plans this rule denies.
 */
final class PolicyCheck extends AbstractFunction1<LogicalPlan, BoxedUnit> {

    private final SparkSession session;
    private final PlanPolicy policy;
    private volatile boolean restricted;

    PolicyCheck(SparkSession session, AllowedRoots roots) {
        this.session = session;
        this.policy = new PlanPolicy(roots, table -> ((org.apache.spark.sql.classic.SparkSession) session)
                .sessionState().catalog().defaultTablePath(table));
    }

    @Override
    public BoxedUnit apply(LogicalPlan plan) {
        if (restricted()) {
            policy.check(plan);
        }
        return BoxedUnit.UNIT;
    }

    boolean restricted() {
        if (!restricted) {
            String mark = session.conf().get(GatewayPolicyExtensions.RESTRICTED, "false");
            restricted = mark != null && mark.strip().toLowerCase(Locale.ROOT).equals("true");
        }
        return restricted;
    }
}
