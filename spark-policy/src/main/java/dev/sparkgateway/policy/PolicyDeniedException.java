package dev.sparkgateway.policy;

import org.apache.spark.SparkThrowable;

import java.util.Map;

/**
 * What a restricted session gets for a denied plan. Not an AnalysisException on purpose: Spark
 * wraps those from check rules into ExtendedAnalysisException, which keeps the condition but looks
 * the SQLSTATE up in its own error catalogue (where ours is missing). As a plain SparkThrowable
 * it reaches Spark Connect clients as is: ErrorInfo reason = this class, metadata errorClass =
 * {@value #CONDITION}, sqlState = {@value #SQL_STATE}, messageParameters = {"denied": ...}.
 */
public final class PolicyDeniedException extends RuntimeException implements SparkThrowable {

    public static final String CONDITION = "GATEWAY_POLICY_DENIED";
    /** SQL standard "insufficient privilege". */
    public static final String SQL_STATE = "42501";

    private final String denied;

    public PolicyDeniedException(String denied) {
        super("[" + CONDITION + "] " + denied + " is not allowed in a restricted session. SQLSTATE: " + SQL_STATE);
        this.denied = denied;
    }

    /** What was denied, e.g. {@code function java_method} or {@code path file:/etc/hostname}. */
    public String denied() {
        return denied;
    }

    @Override
    public String getCondition() {
        return CONDITION;
    }

    @Override
    @SuppressWarnings("deprecation")
    public String getErrorClass() {
        return CONDITION;
    }

    @Override
    public String getSqlState() {
        return SQL_STATE;
    }

    @Override
    public Map<String, String> getMessageParameters() {
        return Map.of("denied", denied);
    }
}
