package dev.sparkgateway.front;

import dev.sparkgateway.auth.Principal;
import dev.sparkgateway.connect.ConnectSession;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.apache.spark.connect.proto.ConfigResponse;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.KeyValue;
import org.apache.spark.connect.proto.ReleaseSessionRequest;
import org.apache.spark.connect.proto.UserContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The front's request rewrite and checks, without a server. */
class FrontRequestsTest {

    static final Principal ANA = new Principal("ana", "ana_spark", Set.of("analyst"));

    @Test
    void theUserContextBecomesThePrincipalsWhateverTheClientClaimed() {
        ExecutePlanRequest claimed = ExecutePlanRequest.newBuilder().setSessionId("s1")
                .setUserContext(UserContext.newBuilder().setUserId("root").setUserName("root")
                        .addExtensions(com.google.protobuf.Any.getDefaultInstance())).build();
        ExecutePlanRequest sent = (ExecutePlanRequest) FrontRequests.rewrite(claimed, ANA, ConnectSession.existing("default", "ana_spark", "s1"));
        assertEquals("ana_spark", sent.getUserContext().getUserId());
        assertEquals("ana_spark", sent.getUserContext().getUserName());
        assertEquals(0, sent.getUserContext().getExtensionsCount(), "no client extensions reach Spark");
        assertEquals("s1", FrontRequests.sessionId(sent));
        // ReleaseSession has no client_observed_server_side_session_id field in 4.0: still rewritten.
        ReleaseSessionRequest release = (ReleaseSessionRequest) FrontRequests.rewrite(ReleaseSessionRequest.newBuilder().setSessionId("s1")
                .build(), ANA, ConnectSession.existing("default", "ana_spark", "s1"));
        assertEquals("ana_spark", release.getUserContext().getUserId());
    }

    @Test
    void aRestrictedSessionMayNotSetTheGatewaysMarksNorCoreHadoopOrClassConfs() {
        for (String key : List.of("spark.sparkgateway.policy.restricted", "SPARK.SPARKGATEWAY.USER", "spark.hadoop.fs.s3a.secret.key",
                "spark.executor.memory", "spark.sql.catalog.evil", "spark.sql.queryExecutionListeners.class", "fs.defaultFS",
                "hive.metastore.uris", "spark.sql.legacy.setCommandRejectsSparkCoreConfs")) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> FrontRequests.checkConf(key), key);
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        }
        for (String key : List.of("spark.sql.shuffle.partitions", "spark.sql.session.timeZone", "myapp.x",
                "spark.sql.execution.arrow.maxRecordsPerBatch")) {
            assertDoesNotThrow(() -> FrontRequests.checkConf(key), key);
        }
    }

    @Test
    void configAnswersLoseTheValuesOfSecretsOnly() {
        ConfigResponse response = ConfigResponse.newBuilder().setSessionId("s1")
                .addPairs(KeyValue.newBuilder().setKey("spark.connect.authenticate.token").setValue("t0ps3cret"))
                .addPairs(KeyValue.newBuilder().setKey("myapp.db.PASSWORD").setValue("hunter2"))
                .addPairs(KeyValue.newBuilder().setKey("spark.sql.shuffle.partitions").setValue("3"))
                .addPairs(KeyValue.newBuilder().setKey("unset.token")).build();
        ConfigResponse redacted = parse(FrontRequests.redactConfig(response.toByteArray()));
        assertEquals(List.of(FrontRequests.REDACTED, FrontRequests.REDACTED, "3"),
                redacted.getPairsList().subList(0, 3).stream().map(KeyValue::getValue).toList());
        assertEquals(false, redacted.getPairs(3).hasValue(), "an absent value stays absent");
        byte[] plain = ConfigResponse.newBuilder().addPairs(KeyValue.newBuilder().setKey("a").setValue("b")).build().toByteArray();
        assertArrayEquals(plain, FrontRequests.redactConfig(plain), "nothing secret: Spark's bytes unchanged");
    }

    private static ConfigResponse parse(byte[] bytes) {
        try {
            return ConfigResponse.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
