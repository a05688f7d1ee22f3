package dev.sparkgateway.front;

import dev.sparkgateway.auth.Principal;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.jboss.logging.Logger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The audit line of a call through the front, on the request log's logger: who ran what (a plan's
 * fingerprint, never its content), in which session, how it ended. Release and status calls,
 * which official clients send after every response, log at debug only.
 */
final class FrontAudit {

    private static final Logger LOG = Logger.getLogger("dev.sparkgateway.request");
    private static final Set<String> QUIET = Set.of(SparkConnectServiceGrpc.getReleaseExecuteMethod().getFullMethodName(),
            SparkConnectServiceGrpc.getArtifactStatusMethod().getFullMethodName(),
            SparkConnectServiceGrpc.getFetchErrorDetailsMethod().getFullMethodName());

    private FrontAudit() {
    }

    /** The first 16 hex digits of the SHA-256 of the plan's bytes: the same plan, the same fingerprint. */
    static String fingerprint(Plan plan) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plan.toByteArray()), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** @param principal null when the caller was not authenticated */
    static void log(MethodDescriptor<?, ?> method, Principal principal, String session, String operation, String fingerprint,
            Status status, long nanos) {
        Logger.Level level = QUIET.contains(method.getFullMethodName()) ? Logger.Level.DEBUG : Logger.Level.INFO;
        if (!LOG.isEnabled(level)) {
            return;
        }
        LOG.logf(level, "connect-front rpc=%s principal=%s spark_user=%s session=%s operation=%s plan=%s status=%s duration_ms=%d%s",
                method.getBareMethodName(), principal == null ? "-" : principal.name(), principal == null ? "-" : principal.sparkUser(),
                session.isEmpty() ? "-" : session, operation.isEmpty() ? "-" : operation,
                fingerprint.isEmpty() ? "-" : fingerprint, status.getCode(), TimeUnit.NANOSECONDS.toMillis(nanos),
                status.isOk() || status.getDescription() == null ? "" : " error=\"" + firstLine(status.getDescription()) + "\"");
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return (line.length() > 200 ? line.substring(0, 200) + "..." : line).replace('"', '\'');
    }
}
