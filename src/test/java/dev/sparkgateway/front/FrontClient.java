package dev.sparkgateway.front;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.ConfigResponse;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.KeyValue;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SQL;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.apache.spark.connect.proto.SqlCommand;
import org.apache.spark.connect.proto.UserContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * A bare Spark Connect client on the gateway's own generated stubs, speaking to the front as the
 * official clients do: a bearer token in the metadata, a client-chosen session id, a user context.
 */
final class FrontClient implements AutoCloseable {

    final ManagedChannel channel;

    FrontClient(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().maxInboundMessageSize(256 << 20).build();
    }

    /** The stub of a caller with {@code token} (null: none sent). */
    SparkConnectServiceGrpc.SparkConnectServiceBlockingStub blocking(String token) {
        return SparkConnectServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(token)));
    }

    SparkConnectServiceGrpc.SparkConnectServiceStub async(String token) {
        return SparkConnectServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(token)));
    }

    private static Metadata headers(String token) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        return headers;
    }

    static String newSession() {
        return UUID.randomUUID().toString();
    }

    /** The user the client claims to be: the front must overwrite it. */
    static UserContext claimed() {
        return UserContext.newBuilder().setUserId("root").setUserName("root").build();
    }

    static ExecutePlanRequest query(String session, String sql) {
        return ExecutePlanRequest.newBuilder().setSessionId(session).setUserContext(claimed()).setClientType("front-test")
                .setPlan(Plan.newBuilder().setRoot(Relation.newBuilder().setSql(SQL.newBuilder().setQuery(sql)))).build();
    }

    static ExecutePlanRequest command(String session, String sql) {
        return ExecutePlanRequest.newBuilder().setSessionId(session).setUserContext(claimed()).setClientType("front-test")
                .setPlan(Plan.newBuilder().setCommand(Command.newBuilder().setSqlCommand(
                        SqlCommand.newBuilder().setInput(Relation.newBuilder().setSql(SQL.newBuilder().setQuery(sql)))))).build();
    }

    static List<ExecutePlanResponse> all(Iterator<ExecutePlanResponse> responses) {
        List<ExecutePlanResponse> out = new ArrayList<>();
        responses.forEachRemaining(out::add);
        return out;
    }

    static long rows(Iterator<ExecutePlanResponse> responses) {
        long rows = 0;
        while (responses.hasNext()) {
            ExecutePlanResponse r = responses.next();
            if (r.hasArrowBatch()) {
                rows += r.getArrowBatch().getRowCount();
            }
        }
        return rows;
    }

    /** The first column of the first row, as text. */
    static String firstValue(Iterator<ExecutePlanResponse> responses) {
        String value = null;
        while (responses.hasNext()) {
            ExecutePlanResponse r = responses.next();
            if (value == null && r.hasArrowBatch() && r.getArrowBatch().getRowCount() > 0) {
                try (RootAllocator allocator = new RootAllocator();
                        ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(r.getArrowBatch().getData().toByteArray()), allocator)) {
                    reader.loadNextBatch();
                    value = String.valueOf(reader.getVectorSchemaRoot().getVector(0).getObject(0));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return value;
    }

    static ConfigRequest config(String session, ConfigRequest.Operation op) {
        return ConfigRequest.newBuilder().setSessionId(session).setUserContext(claimed()).setOperation(op).build();
    }

    static ConfigRequest.Operation set(String key, String value) {
        return ConfigRequest.Operation.newBuilder().setSet(ConfigRequest.Set.newBuilder()
                .addPairs(KeyValue.newBuilder().setKey(key).setValue(value))).build();
    }

    static ConfigRequest.Operation get(String key) {
        return ConfigRequest.Operation.newBuilder().setGet(ConfigRequest.Get.newBuilder().addKeys(key)).build();
    }

    static String value(ConfigResponse response) {
        return response.getPairs(0).getValue();
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
