package dev.sparkgateway.front;

import com.google.protobuf.ByteString;
import dev.sparkgateway.api.CutDuringPlanningTest;
import dev.sparkgateway.testing.ApiKeyFiles;
import dev.sparkgateway.testing.Awaits;
import dev.sparkgateway.testing.SparkActivity;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.spark.connect.proto.AddArtifactsRequest;
import org.apache.spark.connect.proto.AddArtifactsResponse;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.AnalyzePlanResponse;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.InterruptRequest;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ReattachExecuteRequest;
import org.apache.spark.connect.proto.ReleaseSessionRequest;
import org.apache.spark.connect.proto.ReleaseSessionResponse;
import org.apache.spark.connect.proto.SQL;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc.SparkConnectServiceBlockingStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.sparkgateway.front.FrontClient.command;
import static dev.sparkgateway.front.FrontClient.config;
import static dev.sparkgateway.front.FrontClient.newSession;
import static dev.sparkgateway.front.FrontClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark Connect front door against the real Spark server (policy extension loaded), spoken to
 * with the gateway's own generated stubs the way the official clients speak: identity from the
 * bearer token, sessions bound to their principal, the restricted principals' policy, streams
 * relayed complete, interrupts. (The official JVM client's suite is front-it/.)
 */
@QuarkusTest
@TestProfile(ConnectFrontTest.Front.class)
class ConnectFrontTest extends FrontTest {

    static final Path FILE = Path.of("target", "test-auth", "connect-front-test-keys.json").toAbsolutePath();
    static final ApiKeyFiles.Key ANA = new ApiKeyFiles.Key("front-ana-key", "ana", "ana_spark", List.of("analyst"));
    static final ApiKeyFiles.Key BEN = new ApiKeyFiles.Key("front-ben-key", "ben", null, List.of("analyst"));
    static final ApiKeyFiles.Key OPS = new ApiKeyFiles.Key("front-ops-key", "ops", null, List.of("admin"));

    public static class Front implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            ApiKeyFiles.write(FILE, List.of(ANA, BEN, OPS));
            return Map.of("gateway.auth.mode", "api-key", "gateway.auth.api-keys-file", FILE.toString(),
                    "gateway.connect-front.enabled", "true", "gateway.connect-front.port", "0",
                    "gateway.connect-front.host", "127.0.0.1");
        }
    }

    @Inject
    SparkActivity spark;

    private static SparkConnectServiceBlockingStub as(ApiKeyFiles.Key key) {
        return client.blocking(key.key());
    }

    @Test
    void aLargeResultStreamsCompleteThroughTheFront() {
        String session = newSession();
        assertEquals(2_000_000L, FrontClient.rows(as(ANA).executePlan(query(session, "SELECT id, id * 2 AS d FROM range(2000000)"))));
        List<ExecutePlanResponse> small = FrontClient.all(as(ANA).executePlan(query(session, "SELECT 1 AS one")));
        assertTrue(small.stream().allMatch(r -> r.getSessionId().equals(session)), "every response names the session");
        assertTrue(small.stream().anyMatch(ExecutePlanResponse::hasSchema), "the schema comes through");
    }

    @Test
    void theClientsClaimedUserIsReplacedByThePrincipalsSparkUser() {
        assertEquals("ana_spark", FrontClient.firstValue(as(ANA).executePlan(query(newSession(), "SELECT current_user()"))));
        assertEquals("ops", FrontClient.firstValue(as(OPS).executePlan(query(newSession(), "SELECT current_user()"))));
    }

    @Test
    void setAndTempViewsPersistWithinOneClientSessionOnly() {
        String session = newSession();
        FrontClient.all(as(ANA).executePlan(command(session, "SET spark.sql.shuffle.partitions=3")));
        FrontClient.all(as(ANA).executePlan(command(session, "CREATE TEMP VIEW front_v AS SELECT 42 AS x")));
        assertEquals("3", FrontClient.firstValue(as(ANA).executePlan(query(session, "SELECT '${spark.sql.shuffle.partitions}'"))));
        assertEquals("3", FrontClient.value(as(ANA).config(config(session, FrontClient.get("spark.sql.shuffle.partitions")))));
        assertEquals("42", FrontClient.firstValue(as(ANA).executePlan(query(session, "SELECT x FROM front_v"))));
        StatusRuntimeException elsewhere = assertThrows(StatusRuntimeException.class,
                () -> FrontClient.all(as(ANA).executePlan(query(newSession(), "SELECT x FROM front_v"))));
        assertTrue(elsewhere.getMessage().contains("TABLE_OR_VIEW_NOT_FOUND"), elsewhere.getMessage());
    }

    @Test
    void aSessionOfOnePrincipalIsNotFoundForAnother() {
        String session = newSession();
        FrontClient.all(as(ANA).executePlan(command(session, "CREATE TEMP VIEW ana_only AS SELECT 1 AS x")));
        List<Executable> calls = List.of(
                () -> FrontClient.all(as(BEN).executePlan(query(session, "SELECT x FROM ana_only"))),
                () -> as(BEN).config(config(session, FrontClient.get("spark.sql.shuffle.partitions"))),
                () -> as(BEN).interrupt(InterruptRequest.newBuilder().setSessionId(session).setUserContext(FrontClient.claimed())
                        .setInterruptType(InterruptRequest.InterruptType.INTERRUPT_TYPE_ALL).build()),
                () -> as(OPS).releaseSession(ReleaseSessionRequest.newBuilder().setSessionId(session).setUserContext(FrontClient.claimed()).build()));
        for (Executable call : calls) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.getMessage());
            assertTrue(!e.getMessage().contains("ana"), "nothing about the owner: " + e.getMessage());
        }
        assertEquals("1", FrontClient.firstValue(as(ANA).executePlan(query(session, "SELECT x FROM ana_only"))), "still the owner's");
    }

    @Test
    void aMissingOrWrongTokenIsUnauthenticated() {
        for (String token : new String[] {null, "not-a-key"}) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> FrontClient.all(client.blocking(token).executePlan(query(newSession(), "SELECT 1"))));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), e.getMessage());
        }
    }

    @Test
    void aRestrictedPrincipalIsDeniedReflectionFilesArtifactsAndItsOwnMark() {
        String session = newSession();
        for (String sql : List.of("SELECT reflect('java.lang.System', 'getProperty', 'java.class.path')",
                "SELECT * FROM text.`/etc/hostname`")) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> FrontClient.all(as(ANA).executePlan(query(session, sql))));
            assertTrue(e.getMessage().contains("GATEWAY_POLICY_DENIED"), sql + ": " + e.getMessage());
        }
        StatusRuntimeException mark = assertThrows(StatusRuntimeException.class,
                () -> as(ANA).config(config(session, FrontClient.set("spark.sparkgateway.policy.restricted", "false"))));
        assertEquals(Status.Code.PERMISSION_DENIED, mark.getStatus().getCode(), mark.getMessage());
        StatusRuntimeException viaSql = assertThrows(StatusRuntimeException.class,
                () -> FrontClient.all(as(ANA).executePlan(command(session, "SET spark.sparkgateway.policy.restricted=false"))));
        assertTrue(viaSql.getMessage().contains("GATEWAY_POLICY_DENIED"), viaSql.getMessage());

        CompletableFuture<Throwable> artifacts = new CompletableFuture<>();
        StreamObserver<AddArtifactsRequest> upload = client.async(ANA.key()).addArtifacts(new StreamObserver<>() {
            public void onNext(AddArtifactsResponse value) { artifacts.complete(null); }
            public void onError(Throwable t) { artifacts.complete(t); }
            public void onCompleted() { artifacts.complete(null); }
        });
        upload.onNext(AddArtifactsRequest.newBuilder().setSessionId(session).setUserContext(FrontClient.claimed())
                .setBatch(AddArtifactsRequest.Batch.newBuilder().addArtifacts(AddArtifactsRequest.SingleChunkArtifact.newBuilder()
                        .setName("jars/evil.jar").setData(AddArtifactsRequest.ArtifactChunk.newBuilder()
                                .setData(ByteString.copyFromUtf8("PK")).setCrc(0)))).build());
        upload.onCompleted();
        Throwable refused = artifacts.orTimeout(30, TimeUnit.SECONDS).join();
        assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(refused).getCode(), String.valueOf(refused));

        assertTrue(FrontClient.firstValue(as(OPS).executePlan(query(newSession(),
                "SELECT reflect('java.lang.System', 'getProperty', 'java.version')"))).startsWith("17"), "an admin is not restricted");
    }

    @Test
    void configReadsNeverShowSecrets() {
        String session = newSession();
        as(OPS).config(config(session, FrontClient.set("myapp.db.password", "hunter2")));
        assertEquals(FrontRequests.REDACTED, FrontClient.value(as(OPS).config(config(session, FrontClient.get("myapp.db.password")))));
    }

    @Test
    void analyzeAnswersSchemaAndExplain() {
        String session = newSession();
        Plan plan = Plan.newBuilder().setRoot(Relation.newBuilder().setSql(SQL.newBuilder().setQuery("SELECT 1 AS one, 'x' AS two"))).build();
        AnalyzePlanResponse schema = as(ANA).analyzePlan(AnalyzePlanRequest.newBuilder().setSessionId(session).setUserContext(FrontClient.claimed())
                .setSchema(AnalyzePlanRequest.Schema.newBuilder().setPlan(plan)).build());
        assertEquals(List.of("one", "two"), schema.getSchema().getSchema().getStruct().getFieldsList().stream().map(f -> f.getName()).toList());
        AnalyzePlanResponse explain = as(ANA).analyzePlan(AnalyzePlanRequest.newBuilder().setSessionId(session).setUserContext(FrontClient.claimed())
                .setExplain(AnalyzePlanRequest.Explain.newBuilder().setPlan(plan)
                        .setExplainMode(AnalyzePlanRequest.Explain.ExplainMode.EXPLAIN_MODE_EXTENDED)).build());
        assertTrue(explain.getExplain().getExplainString().contains("== Physical Plan =="), explain.getExplain().getExplainString());
    }

    @Test
    void interruptAllEndsARunningExecution() {
        String session = newSession();
        CompletableFuture<Throwable> ended = start(query(session, "SELECT count(*) FROM range(0, 100000000000, 1, 2)"));
        InterruptRequest all = InterruptRequest.newBuilder().setSessionId(session).setUserContext(FrontClient.claimed())
                .setInterruptType(InterruptRequest.InterruptType.INTERRUPT_TYPE_ALL).build();
        Awaits.until(Duration.ofSeconds(30), "the execution interrupted", () -> as(ANA).interrupt(all).getInterruptedIdsCount() > 0);
        Throwable error = ended.orTimeout(30, TimeUnit.SECONDS).join();
        assertTrue(error != null && error.getMessage().contains("OPERATION_CANCELED"), String.valueOf(error));
    }
    /**
     * A client that cancels its call (it disconnected, or gave up) stops the work in Spark, not only
     * the relay. Spark's own answer is the probe: ReattachExecute of a running non-reattachable
     * operation says INVALID_CURSOR.NOT_REATTACHABLE; once Spark has dropped it, the handle is unknown.
     */
    @Test
    void aClientThatCancelsItsCallStopsTheOperationInSpark() {
        String session = newSession();
        String operation = UUID.randomUUID().toString();
        ExecutePlanRequest slow = query(session, "SELECT count(*) FROM range(0, 100000000000, 1, 2)").toBuilder()
                .setOperationId(operation).build();
        CompletableFuture<ClientCallStreamObserver<ExecutePlanRequest>> call = new CompletableFuture<>();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        client.async(ANA.key()).executePlan(slow, new ClientResponseObserver<ExecutePlanRequest, ExecutePlanResponse>() {
            public void beforeStart(ClientCallStreamObserver<ExecutePlanRequest> stream) { call.complete(stream); }
            public void onNext(ExecutePlanResponse value) { }
            public void onError(Throwable t) { ended.complete(t); }
            public void onCompleted() { ended.complete(null); }
        });
        ReattachExecuteRequest probe = ReattachExecuteRequest.newBuilder().setSessionId(session).setOperationId(operation)
                .setUserContext(FrontClient.claimed()).build();
        Awaits.until(Duration.ofSeconds(30), "Spark runs the operation", () -> reattachError(probe).contains("INVALID_CURSOR.NOT_REATTACHABLE"));
        call.join().cancel("the client gave up", null);
        assertEquals(Status.Code.CANCELLED, Status.fromThrowable(ended.orTimeout(10, TimeUnit.SECONDS).join()).getCode());
        long cancelled = System.nanoTime();
        // The query runs for many minutes: a minute proves that Spark stopped it, with room for a loaded machine.
        Awaits.until(Duration.ofSeconds(60), "Spark dropped the cancelled operation",
                () -> !reattachError(probe).contains("INVALID_CURSOR.NOT_REATTACHABLE"));
        System.out.println("operation gone from Spark " + (System.nanoTime() - cancelled) / 1_000_000 + " ms after the client's cancel");
        assertEquals("1", FrontClient.firstValue(as(ANA).executePlan(query(session, "SELECT 1"))), "the session still works");
    }

    /**
     * An operation its client interrupts while Spark still plans it: Spark 4.0 cancels no job then,
     * and the job planning submits a moment later would hold both cores for minutes
     * ({@code CutDuringPlanningTest} has the HTTP case). The front sweeps after the interrupts it
     * relays as the gateway does after its own.
     */
    @Test
    void aClientsInterruptDuringPlanningLeavesNoJobBehind() {
        String session = newSession();
        interruptWhilePlanning(session);
        awaitNoJobBehind(session);
    }

    /**
     * A client that stops right after its interrupt (a notebook's cancel, then its session's end):
     * the front answers the ReleaseSession at once but closes the session in Spark only once the
     * sweeps are done, since a closed session takes none and Spark cancels no jobs when it closes one.
     * Relayed at once, Spark 4.0 answered this ReleaseSession with INTERNAL ("operationId ... with
     * status Started is not within statuses List(Finished, Failed, Canceled) for event Closed").
     */
    @Test
    void aClientThatReleasesItsSessionRightAfterItsInterruptLeavesNoJobBehind() {
        String session = newSession();
        CompletableFuture<Throwable> ended = interruptWhilePlanning(session);
        ReleaseSessionResponse released = as(ANA).releaseSession(ReleaseSessionRequest.newBuilder().setSessionId(session)
                .setUserContext(FrontClient.claimed()).build());
        assertEquals(session, released.getSessionId());
        Throwable error = ended.orTimeout(120, TimeUnit.SECONDS).join();
        assertTrue(error != null && error.getMessage().contains("OPERATION_CANCELED"), String.valueOf(error));
        awaitNoJobBehind(newSession());
        // Released in Spark once swept: the id is closed there, not reusable.
        Awaits.until(Duration.ofSeconds(30), "Spark closed the released session", () -> {
            try {
                as(ANA).config(config(session, FrontClient.get("spark.sql.shuffle.partitions")));
                return false;
            } catch (StatusRuntimeException e) {
                return String.valueOf(e.getMessage()).contains("SESSION_CLOSED");
            }
        });
    }

    /** Starts a query that takes seconds to plan and interrupts it once Spark has it; completes when it ends. */
    private static CompletableFuture<Throwable> interruptWhilePlanning(String session) {
        String operation = UUID.randomUUID().toString();
        ExecutePlanRequest slow = query(session, CutDuringPlanningTest.SLOW_TO_PLAN).toBuilder().setOperationId(operation).build();
        CompletableFuture<Throwable> ended = start(slow);
        ReattachExecuteRequest probe = ReattachExecuteRequest.newBuilder().setSessionId(session).setOperationId(operation)
                .setUserContext(FrontClient.claimed()).build();
        Awaits.until(Duration.ofSeconds(30), "Spark has the operation", () -> reattachError(probe).contains("INVALID_CURSOR.NOT_REATTACHABLE"));
        InterruptRequest one = InterruptRequest.newBuilder().setSessionId(session).setUserContext(FrontClient.claimed())
                .setInterruptType(InterruptRequest.InterruptType.INTERRUPT_TYPE_OPERATION_ID).setOperationId(operation).build();
        assertEquals(List.of(operation), as(ANA).interrupt(one).getInterruptedIdsList());
        return ended;
    }

    /** Once the sweeps end, a small query in {@code session} runs at once: no orphaned job holds the cores. */
    private void awaitNoJobBehind(String session) {
        spark.awaitSweeps(Duration.ofSeconds(60));
        long quick = System.nanoTime();
        assertEquals("1000", FrontClient.firstValue(as(ANA).withDeadlineAfter(120, TimeUnit.SECONDS)
                .executePlan(query(session, "SELECT count(*) FROM range(0, 1000, 1, 4)"))));
        long quickMillis = (System.nanoTime() - quick) / 1_000_000;
        assertTrue(quickMillis < 30_000, "a small query waited " + quickMillis + " ms behind the orphaned job");
    }

    /** Starts an execution as ana, its responses ignored; completes with its error, or null once it ends well. */
    private static CompletableFuture<Throwable> start(ExecutePlanRequest request) {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        client.async(ANA.key()).executePlan(request, new StreamObserver<>() {
            public void onNext(ExecutePlanResponse value) { }
            public void onError(Throwable t) { ended.complete(t); }
            public void onCompleted() { ended.complete(null); }
        });
        return ended;
    }

    /** The error text of a ReattachExecute (it never succeeds for a non-reattachable operation). */
    private static String reattachError(ReattachExecuteRequest probe) {
        try {
            FrontClient.all(as(ANA).reattachExecute(probe));
            return "";
        } catch (StatusRuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }
}
