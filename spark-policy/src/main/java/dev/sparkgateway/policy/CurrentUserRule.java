package dev.sparkgateway.policy;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.CurrentUser;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal$;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.rules.Rule;
import scala.Function1;
import scala.runtime.AbstractPartialFunction;

/**
 * {@code current_user()} (and {@code user()}, {@code session_user()}) as the gateway's caller:
 * Spark Connect 4.0 answers them with the server process's OS user whatever {@code user_id} a
 * client sends, so the gateway puts its principal's Spark user into the session conf
 * {@value #USER} and this rule, run once after resolution, replaces the expression with it.
 * Restricted sessions cannot change the conf ({@link ConfPolicy} denies {@code spark.sparkgateway.*}).
 */
final class CurrentUserRule extends Rule<LogicalPlan> {

    /** Session conf the gateway sets to the Spark user of the session's principal. */
    static final String USER = "spark.sparkgateway.user";

    private final SparkSession session;

    CurrentUserRule(SparkSession session) {
        this.session = session;
    }

    @Override
    public LogicalPlan apply(LogicalPlan plan) {
        String user = session.sessionState().conf().getConfString(USER, null);
        if (user == null || user.isEmpty()) {
            return plan;
        }
        Expression literal = Literal$.MODULE$.apply(user);
        return plan.transformAllExpressionsWithSubqueries(new AbstractPartialFunction<Expression, Expression>() {
            @Override
            public boolean isDefinedAt(Expression e) {
                return e instanceof CurrentUser;
            }

            @Override
            public <A1 extends Expression, B1> B1 applyOrElse(A1 e, Function1<A1, B1> otherwise) {
                @SuppressWarnings("unchecked")
                B1 replaced = (B1) (e instanceof CurrentUser ? literal : otherwise.apply(e));
                return replaced;
            }
        });
    }
}
