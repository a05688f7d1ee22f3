package dev.sparkgateway.bench;

import java.net.URI;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SQL;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.apache.spark.connect.proto.UserContext;
import org.sparkproject.io.grpc.ManagedChannel;
import org.sparkproject.io.grpc.Metadata;
import org.sparkproject.io.grpc.stub.MetadataUtils;
import org.sparkproject.io.grpc.netty.NettyChannelBuilder;

/**
 * The physical limit of a pass-through: a consumer that speaks ExecutePlan itself and only adds up
 * the Arrow batches' row counts and sizes, decoding nothing (no Row objects, no vectors). It uses the
 * gRPC and stubs shaded into the official client's jar, so the bench needs no second gRPC stack.
 */
final class RawGrpc implements AutoCloseable {

    private final ManagedChannel channel;
    private final SparkConnectServiceGrpc.SparkConnectServiceBlockingStub stub;
    private final String sessionId = UUID.randomUUID().toString();

    RawGrpc(String sparkUrl) {
        URI uri = URI.create(sparkUrl.replaceFirst("^sc://", "http://").replaceFirst("/;.*$", ""));
        channel = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort())
                .usePlaintext()
                .maxInboundMessageSize(256 << 20)
                .build();
        SparkConnectServiceGrpc.SparkConnectServiceBlockingStub plain = SparkConnectServiceGrpc.newBlockingStub(channel);
        java.util.regex.Matcher token = java.util.regex.Pattern.compile(";token=([^;]+)").matcher(sparkUrl);
        if (token.find()) { // as the official client sends sc://...;token=
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token.group(1));
            plain = plain.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        stub = plain;
    }

    /** One small unary RPC that Spark answers without running a job: AnalyzePlan(spark_version). */
    String sparkVersion() {
        return stub.analyzePlan(AnalyzePlanRequest.newBuilder()
                .setSessionId(sessionId)
                .setUserContext(UserContext.newBuilder().setUserId("bench"))
                .setSparkVersion(AnalyzePlanRequest.SparkVersion.getDefaultInstance())
                .build()).getSparkVersion().getVersion();
    }

    /** Runs the query and drains its stream; returns {rows, Arrow bytes}. */
    long[] count(String sql) {
        ExecutePlanRequest request = ExecutePlanRequest.newBuilder()
                .setSessionId(sessionId)
                .setUserContext(UserContext.newBuilder().setUserId("bench"))
                .setOperationId(UUID.randomUUID().toString())
                .setPlan(Plan.newBuilder().setRoot(Relation.newBuilder().setSql(SQL.newBuilder().setQuery(sql))))
                .build();
        // Not reattachable (Spark then sends no ResultComplete and needs no ReleaseExecute): the
        // caller checks the row count instead.
        long rows = 0;
        long bytes = 0;
        for (Iterator<ExecutePlanResponse> it = stub.executePlan(request); it.hasNext(); ) {
            ExecutePlanResponse response = it.next();
            if (response.hasArrowBatch()) {
                rows += response.getArrowBatch().getRowCount();
                bytes += response.getArrowBatch().getData().size();
            }
        }
        return new long[] {rows, bytes};
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
