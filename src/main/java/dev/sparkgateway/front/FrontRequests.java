package dev.sparkgateway.front;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.connect.ConnectSession;
import dev.sparkgateway.plan.RestrictedPlans;
import io.grpc.Status;
import org.apache.spark.connect.proto.AddArtifactsRequest;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.ConfigResponse;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.KeyValue;
import org.apache.spark.connect.proto.UserContext;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What the front changes and checks in a client's request before Spark sees it, and in the few
 * responses it must look into. Every request of the 4.0 protos names its session and user alike
 * ({@code session_id}, {@code user_context}), so the rewrite goes by field name, not per type.
 */
final class FrontRequests {

    /** Spark's default {@code spark.redaction.regex}: conf values under such keys never reach a client. */
    private static final Pattern SECRET = Pattern.compile("(?i)secret|password|token|access[.]?key");
    static final String REDACTED = "*********(redacted)";
    /** Session confs copied into Hadoop configurations (as spark-policy's ConfPolicy lists them). */
    private static final List<String> HADOOP_PREFIXES = List.of("fs.", "hadoop.", "dfs.", "mapreduce.", "mapred.",
            "yarn.", "io.", "ipc.", "hive.", "parquet.", "orc.", "avro.", "javax.jdo.", "datanucleus.");

    private FrontRequests() {
    }

    /** The request's session id ("" if it has none). */
    static String sessionId(Message request) {
        FieldDescriptor field = request.getDescriptorForType().findFieldByName("session_id");
        return field == null ? "" : (String) request.getField(field);
    }

    /**
     * {@code request} as it goes to Spark: the principal's Spark user in place of whatever the
     * client claimed, and the server-side session id the gateway observed, so a session Spark lost
     * (a restart, its own idle timeout) fails with INVALID_HANDLE.SESSION_CHANGED instead of coming
     * back silently without its policy mark.
     */
    static Message rewrite(Message request, Principal principal, ConnectSession session) {
        Message.Builder builder = request.toBuilder();
        FieldDescriptor user = request.getDescriptorForType().findFieldByName("user_context");
        if (user != null) {
            builder.setField(user, UserContext.newBuilder().setUserId(principal.sparkUser()).setUserName(principal.sparkUser()).build());
        }
        if (request instanceof ExecutePlanRequest execute && execute.getOperationId().isEmpty()) {
            // Spark would choose one; the front needs to know it to interrupt the operation when its client cancels.
            ((ExecutePlanRequest.Builder) builder).setOperationId(UUID.randomUUID().toString());
        }
        FieldDescriptor observed = request.getDescriptorForType().findFieldByName("client_observed_server_side_session_id");
        if (observed != null && session.serverSideSessionId().isPresent()) {
            builder.setField(observed, session.serverSideSessionId().get());
        }
        return builder.build();
    }

    /** Whether the client asked for a reattachable execution (the official clients do by default). */
    static boolean reattachable(ExecutePlanRequest request) {
        return request.getRequestOptionsList().stream()
                .anyMatch(option -> option.hasReattachOptions() && option.getReattachOptions().getReattachable());
    }

    /** Refuses what a restricted principal may not send; Spark's SQL policy judges everything else. */
    static void checkRestricted(Message request) {
        if (request instanceof AddArtifactsRequest) {
            throw FrontStatus.denied("[GATEWAY_POLICY_DENIED] Not allowed for a restricted principal: adding artifacts"
                    + " (jars, class files, Python files) runs code of the caller's inside Spark");
        }
        if (request instanceof ExecutePlanRequest || request instanceof AnalyzePlanRequest) {
            RestrictedPlans.violation(request).ifPresent(what -> {
                throw FrontStatus.denied("[GATEWAY_POLICY_DENIED] Not allowed for a restricted principal: " + what);
            });
        }
        if (request instanceof ConfigRequest config) {
            ConfigRequest.Operation op = config.getOperation();
            if (op.hasSet()) {
                op.getSet().getPairsList().forEach(pair -> checkConf(pair.getKey()));
            }
            if (op.hasUnset()) {
                op.getUnset().getKeysList().forEach(FrontRequests::checkConf);
            }
        }
    }

    /**
     * A conf a restricted session may not set through the Config RPC, which bypasses Spark's SQL
     * policy (that judges SET commands): the gateway's own marks, Spark core and Hadoop confs,
     * class names. Static SQL confs Spark refuses itself.
     */
    static void checkConf(String key) {
        String lower = key.strip().toLowerCase(Locale.ROOT);
        boolean denied = lower.startsWith("spark.sparkgateway.") || lower.startsWith("spark.hadoop.")
                || (lower.startsWith("spark.") && !lower.startsWith("spark.sql."))
                || lower.startsWith("spark.sql.catalog.") || lower.contains("class")
                || lower.equals("spark.sql.legacy.setcommandrejectssparkcoreconfs")
                || lower.equals("spark.sql.execution.pyspark.python") || lower.equals("spark.sql.streaming.checkpointlocation")
                || HADOOP_PREFIXES.stream().anyMatch(lower::startsWith);
        if (denied) {
            throw FrontStatus.denied("[GATEWAY_POLICY_DENIED] Not allowed for a restricted principal: setting '" + key + "'");
        }
    }

    /** A Config answer without secrets' values (apache/spark#57863: Spark 4.0 returns them). Unchanged bytes if none. */
    static byte[] redactConfig(byte[] response) {
        ConfigResponse parsed;
        try {
            parsed = ConfigResponse.parseFrom(response);
        } catch (InvalidProtocolBufferException e) {
            throw Status.INTERNAL.withDescription("Spark Connect sent an unreadable Config response").asRuntimeException();
        }
        if (parsed.getPairsList().stream().noneMatch(FrontRequests::secret)) {
            return response;
        }
        ConfigResponse.Builder builder = parsed.toBuilder().clearPairs();
        for (KeyValue pair : parsed.getPairsList()) {
            builder.addPairs(secret(pair) ? pair.toBuilder().setValue(REDACTED).build() : pair);
        }
        return builder.build().toByteArray();
    }

    private static boolean secret(KeyValue pair) {
        return pair.hasValue() && SECRET.matcher(pair.getKey()).find() && !pair.getValue().equals(REDACTED);
    }
}
