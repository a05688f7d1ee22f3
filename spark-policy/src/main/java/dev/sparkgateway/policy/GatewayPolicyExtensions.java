package dev.sparkgateway.policy;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.rules.Rule;
import scala.Function1;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * Loaded with {@code spark.sql.extensions=dev.sparkgateway.policy.GatewayPolicyExtensions}. Adds
 * one check rule per session state ({@link PolicyCheck}); it does nothing unless the session
 * carries {@value #RESTRICTED}=true, which the gateway sets for callers without the admin role.
 * And a resolution rule that answers {@code current_user()} with the gateway's caller ({@link CurrentUserRule}).
 */
public final class GatewayPolicyExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit>
        implements SparkSessionExtensionsProvider {

    /** Session conf: {@code true} marks a session restricted, for good (see {@link PolicyCheck}). */
    public static final String RESTRICTED = "spark.sparkgateway.policy.restricted";
    /** Static (server) conf: comma-separated roots a restricted session may read and write by path. */
    public static final String ALLOWED_ROOTS = "spark.sparkgateway.policy.allowedRoots";

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        extensions.injectPostHocResolutionRule(new AbstractFunction1<SparkSession, Rule<LogicalPlan>>() {
            @Override
            public Rule<LogicalPlan> apply(SparkSession session) {
                return new CurrentUserRule(session);
            }
        });
        extensions.injectCheckRule(new AbstractFunction1<SparkSession, Function1<LogicalPlan, BoxedUnit>>() {
            @Override
            public Function1<LogicalPlan, BoxedUnit> apply(SparkSession session) {
                return new PolicyCheck(session,
                        AllowedRoots.parse(session.sparkContext().getConf().get(ALLOWED_ROOTS, "")));
            }
        });
        return BoxedUnit.UNIT;
    }
}
