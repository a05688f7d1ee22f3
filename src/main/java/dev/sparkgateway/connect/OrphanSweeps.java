package dev.sparkgateway.connect;

import dev.sparkgateway.error.SparkException;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Range;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Cancels the jobs an interrupted operation may leave behind in Spark 4.0.
 *
 * <p>Spark cancels an operation's jobs (by its job tag, derived from user, session and operation
 * id) only where the operation's own thread fails. An interrupt that lands while the query is
 * still analysed or planned makes that thread fail before any job exists, so nothing is
 * cancelled; the job planning submits a moment later carries the tag, and nobody cancels it. With
 * a client that left 0.1 s into {@code SELECT sum(hash(id)) FROM range(0, 5e10, 1, 5000)} (or at
 * any time into a query that takes seconds to plan) the next query on two cores waited ~110 s.
 * Spark Connect has no RPC to cancel a job, but it lets an operation id be used again once the
 * operation is gone: an ExecutePlan under the same session, user and operation id whose plan
 * fails at once runs into that same failure path and cancels every job with the tag. The gateway
 * sends one a second after each interrupt, again while Spark still has the operation (planning
 * goes on for seconds after an interrupt), and twice more once it is gone. Each is one small RPC,
 * and one INFO entry in Spark's log ("step (0) cannot be 0"); a retry while Spark still has the
 * operation is logged there as an ERROR (OPERATION_ALREADY_EXISTS).
 */
final class OrphanSweeps {

    private static final Logger LOG = Logger.getLogger(OrphanSweeps.class);

    /** The first sweep, this long after the interrupt. */
    static final Duration FIRST = Duration.ofSeconds(1);
    /** While the operation still exists (Spark still plans it), sweeps again after 1, 2, 4 s, then every 4 s. */
    static final Duration WHILE_THERE_MAX = Duration.ofSeconds(4);
    /**
     * Operations that outlive their interrupt this long are left alone: planning seldom takes that
     * long, and an interrupted reattachable operation its client never releases stays in Spark
     * (until its detached timeout) without running anything.
     */
    static final Duration GIVE_UP = Duration.ofMinutes(2);
    /** After the first sweep that ran (the operation was gone): for jobs submitted a moment later. */
    static final List<Duration> AFTER_GONE = List.of(Duration.ofSeconds(2), Duration.ofSeconds(5));

    /** {@code range(0, 1, step 0)}: Spark's planner rejects it before anything runs. */
    private static final Plan FAILS_AT_ONCE = Plan.newBuilder().setRoot(Relation.newBuilder()
            .setRange(Range.newBuilder().setStart(0).setEnd(1).setStep(0))).build();

    private final SparkConnectServiceGrpc.SparkConnectServiceStub async;
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    /** Operations with sweeps still to come, by session id. */
    private final Map<String, Set<String>> pending = new HashMap<>();
    /** ReleaseSession calls waiting for their session's sweeps: a closed session's orphans stay. */
    private final Map<String, Runnable> releases = new HashMap<>();

    OrphanSweeps(SparkConnectServiceGrpc.SparkConnectServiceStub async, ScheduledExecutorService timer, Duration timeout) {
        this.async = async;
        this.timer = timer;
        this.timeout = timeout;
    }

    /** Sweeps after an interrupt of {@code operationId}. */
    void after(ConnectSession session, String operationId) {
        boolean added;
        synchronized (this) {
            added = !timer.isShutdown() && pending.computeIfAbsent(session.sessionId(), k -> new HashSet<>()).add(operationId);
        }
        if (added) {
            schedule(session, operationId, System.nanoTime(), 0, 0);
        }
    }

    /** Operations whose sweeps are still to come: an id Spark lists as running may be one of these. */
    synchronized Set<String> pending() {
        return pending.values().stream().flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether sweeps in {@code session} are still to come. */
    synchronized boolean pending(ConnectSession session) {
        return pending.containsKey(session.sessionId());
    }

    /**
     * Runs {@code release} (the session's ReleaseSession) now, or once the session's last sweep
     * ended: Spark does not cancel jobs when it closes a session, and a closed session takes no
     * more sweeps. A session the gateway discards right after an interrupt lingers in Spark
     * up to the schedule's last step.
     */
    void release(ConnectSession session, Runnable release) {
        synchronized (this) {
            if (pending.containsKey(session.sessionId())) {
                releases.put(session.sessionId(), release);
                return;
            }
        }
        release.run();
    }

    /**
     * The gateway stops: waits up to {@code atMost} for the sweeps still to come, then sends the
     * releases waiting for them. A session released at once would leave its orphans running.
     */
    void close(Duration atMost) {
        List<Runnable> waiting;
        synchronized (this) {
            if (!pending.isEmpty()) {
                LOG.infof("Waiting up to %d s for the sweeps after %d interrupted operation(s) (gateway.spark.shutdown-sweeps)"
                        + " before their sessions are released", atMost.toSeconds(), pendingCount());
            }
            long deadline = System.nanoTime() + atMost.toNanos();
            for (long left = atMost.toMillis(); !pending.isEmpty() && left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!pending.isEmpty()) {
                LOG.warnf("Stopping with %d interrupted operation(s) not swept: a job Spark submits for one of them"
                        + " after this runs to its end; raise gateway.spark.shutdown-sweeps (and the pod's grace period) if that matters", pendingCount());
            }
            waiting = List.copyOf(releases.values());
            releases.clear();
            pending.clear();
        }
        waiting.forEach(OrphanSweeps::quietly);
    }

    private int pendingCount() {
        return pending.values().stream().mapToInt(Set::size).sum();
    }

    private void done(ConnectSession session, String operationId) {
        Runnable release = null;
        synchronized (this) {
            Set<String> ops = pending.get(session.sessionId());
            if (ops != null && ops.remove(operationId) && ops.isEmpty()) {
                pending.remove(session.sessionId());
                release = releases.remove(session.sessionId());
                notifyAll(); // close() may wait for the last ones
            }
        }
        if (release != null) {
            quietly(release);
        }
    }

    private static void quietly(Runnable release) {
        try {
            release.run();
        } catch (RuntimeException e) {
            LOG.debugf("deferred session release failed: %s", e.getMessage());
        }
    }

    /**
     * The wait before the next sweep, or empty when done.
     *
     * @param ran     sweeps so far that ran (the operation was gone, so its tag's jobs were cancelled)
     * @param waiting sweeps so far that found the operation still there
     * @param elapsed since the interrupt
     */
    static Optional<Duration> next(int ran, int waiting, Duration elapsed) {
        if (ran > 0) {
            return ran <= AFTER_GONE.size() ? Optional.of(AFTER_GONE.get(ran - 1)) : Optional.empty();
        }
        if (waiting == 0) {
            return Optional.of(FIRST);
        }
        if (elapsed.compareTo(GIVE_UP) >= 0) {
            return Optional.empty();
        }
        Duration wait = Duration.ofSeconds(1L << Math.min(waiting - 1, 10));
        return Optional.of(wait.compareTo(WHILE_THERE_MAX) > 0 ? WHILE_THERE_MAX : wait);
    }

    private void schedule(ConnectSession session, String operationId, long started, int ran, int waiting) {
        Optional<Duration> wait = next(ran, waiting, Duration.ofNanos(System.nanoTime() - started));
        if (wait.isEmpty()) {
            done(session, operationId);
            return;
        }
        try {
            timer.schedule(() -> sweep(session, operationId, started, ran, waiting),
                    wait.get().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            done(session, operationId); // the gateway stops
        }
    }

    private void sweep(ConnectSession session, String operationId, long started, int ran, int waiting) {
        ExecutePlanRequest.Builder request = ExecutePlanRequest.newBuilder()
                .setSessionId(session.sessionId())
                .setUserContext(GrpcSparkConnectClient.user(session))
                .setClientType(GrpcSparkConnectClient.CLIENT_TYPE)
                .setOperationId(operationId)
                .setPlan(FAILS_AT_ONCE);
        session.serverSideSessionId().ifPresent(request::setClientObservedServerSideSessionId);
        StreamObserver<ExecutePlanResponse> observer = new StreamObserver<>() {
            @Override
            public void onNext(ExecutePlanResponse response) {
            }

            @Override
            public void onError(Throwable t) {
                SparkException e = SparkErrors.decode(t);
                if (e.errorClass().filter("INVALID_HANDLE.OPERATION_ALREADY_EXISTS"::equals).isPresent()) {
                    // Still planned or run by Spark: its jobs, if any, are cancelled once it ends.
                    schedule(session, operationId, started, ran, waiting + 1);
                } else if (e.isStaleSession() || e.isUnavailable()
                        || e.errorClass().filter("INVALID_HANDLE.OPERATION_ABANDONED"::equals).isPresent()) {
                    // A closed session or server holds no jobs of it any more; an abandoned id takes no sweep.
                    LOG.debugf("sweep of %s stopped: %s", operationId, e.getMessage());
                    done(session, operationId);
                } else {
                    schedule(session, operationId, started, ran + 1, waiting); // the expected failure
                }
            }

            @Override
            public void onCompleted() {
                // Not expected for a plan Spark rejects; treated as a sweep that ran.
                schedule(session, operationId, started, ran + 1, waiting);
            }
        };
        Context.ROOT.run(() -> async.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .executePlan(request.build(), observer));
    }
}
