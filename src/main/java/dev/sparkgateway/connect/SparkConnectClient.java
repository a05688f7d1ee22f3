package dev.sparkgateway.connect;

import dev.sparkgateway.error.SparkException;
import org.apache.spark.connect.proto.AnalyzePlanRequest;
import org.apache.spark.connect.proto.AnalyzePlanResponse;
import org.apache.spark.connect.proto.Plan;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Spark Connect calls the gateway makes. Every call names the session and its user; every
 * failure surfaces as {@link SparkException}.
 */
public interface SparkConnectClient {

    /** Starts executing a plan; responses are pulled from the returned {@link Execution}. */
    Execution execute(ConnectSession session, Plan plan, ExecuteOptions options);

    /** Interrupts one operation; returns the ids the server interrupted. */
    List<String> interrupt(ConnectSession session, String operationId);

    /** Interrupts everything running in the session; returns the ids the server interrupted. */
    List<String> interruptAll(ConnectSession session);

    /**
     * Interrupts sent on cancel paths (a client that left, a timeout) that Spark has not confirmed
     * yet: the session is back in the pool meanwhile, its operation ending a moment later.
     */
    default int interruptsInFlight() {
        return 0;
    }

    /**
     * Interrupted operations still being swept for orphaned jobs ({@link OrphanSweeps}): each
     * sweep runs in Spark for a few milliseconds under the interrupted operation's id.
     */
    default Set<String> sweeping() {
        return Set.of();
    }

    /** Sweeps for orphaned jobs after operations someone else interrupted (a client of the Spark Connect front). */
    default void sweepAfterInterrupt(ConnectSession session, List<String> operationIds) {
    }

    /** Whether sweeps after interrupts in this session are still to come: its release then waits for them. */
    default boolean sweepsPending(ConnectSession session) {
        return false;
    }

    /** Sets session confs (Spark Connect's Config RPC); the first call on a new session creates it. */
    void setConf(ConnectSession session, Map<String, String> conf);

    /** Reads session (or static) confs; a key Spark does not know maps to empty. */
    Map<String, Optional<String>> getConf(ConnectSession session, List<String> keys);

    /**
     * Closes the session on the server (once sweeps after its interrupts are done, see
     * OrphanSweeps); a no-op for sessions the server does not know.
     */
    void releaseSession(ConnectSession session);

    /** Runs an analysis (schema, explain, version...) with the session and user filled in. */
    AnalyzePlanResponse analyze(ConnectSession session, AnalyzePlanRequest.Builder request);

    /** The server's Spark version; a cheap call that also creates the session on the server. */
    String sparkVersion(ConnectSession session);

    /** The same with its own deadline, for health checks that must answer fast. */
    String sparkVersion(ConnectSession session, Duration deadline);

    /** Streams resumed with ReattachExecute since start (the server cuts long streams on purpose). */
    long reattaches();

    /** Where this client connects, without secrets. */
    String endpoint();

    /**
     * The gRPC channel to the server named {@code endpoint}, with its bearer token applied to every
     * call: for relaying Spark Connect calls unchanged (front/). Clients without channels refuse.
     */
    default io.grpc.Channel channel(String endpoint) {
        throw new UnsupportedOperationException("no gRPC channel behind " + getClass().getSimpleName());
    }

    /**
     * A connection of its own to the server named {@code endpoint}, on the Netty event loop
     * {@code loop}, otherwise as {@link #channel}: a relay whose calls arrive on that loop hands
     * messages between the two connections without a thread hop. Closed with this client.
     */
    default io.grpc.Channel channel(String endpoint, io.netty.channel.EventLoop loop) {
        return channel(endpoint);
    }
}
