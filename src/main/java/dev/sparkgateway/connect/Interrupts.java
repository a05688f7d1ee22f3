package dev.sparkgateway.connect;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.apache.spark.connect.proto.InterruptRequest;
import org.apache.spark.connect.proto.InterruptResponse;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Spark Connect's Interrupt RPC: blocking for callers that want the ids, fire-and-forget with retries for cancel paths. */
final class Interrupts implements AutoCloseable {

    /** Interrupts Spark did not confirm are sent again, this many times, after 250 ms, 500 ms, ... */
    private static final int RETRIES = 5;
    private static final Duration RETRY_DELAY = Duration.ofMillis(250);

    private final Supplier<SparkConnectServiceGrpc.SparkConnectServiceBlockingStub> control;
    private final SparkConnectServiceGrpc.SparkConnectServiceStub async;
    private final Duration timeout;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("spark-interrupt-retry").setDaemon(true).build());
    /** Fire-and-forget interrupts not yet confirmed by Spark, given up or failed. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final OrphanSweeps sweeps;
    private final Duration shutdownSweeps;

    Interrupts(Supplier<SparkConnectServiceGrpc.SparkConnectServiceBlockingStub> control,
            SparkConnectServiceGrpc.SparkConnectServiceStub async, Duration timeout, Duration shutdownSweeps) {
        this.control = control;
        this.async = async;
        this.timeout = timeout;
        this.shutdownSweeps = shutdownSweeps;
        this.sweeps = new OrphanSweeps(async, retries, timeout);
    }

    /** Sweeps only what this endpoint interrupted: a replica asks every endpoint about a statement of unknown place. */
    List<String> interrupt(ConnectSession session, String operationId) {
        return sweepAfter(session, interrupt(request(session)
                .setInterruptType(InterruptRequest.InterruptType.INTERRUPT_TYPE_OPERATION_ID).setOperationId(operationId)));
    }

    List<String> interruptAll(ConnectSession session) {
        return sweepAfter(session, interrupt(request(session).setInterruptType(InterruptRequest.InterruptType.INTERRUPT_TYPE_ALL)));
    }

    /** Operations whose orphan sweeps are still to come (each briefly runs in Spark under that id). */
    Set<String> sweeping() {
        return sweeps.pending();
    }

    boolean sweepsPending(ConnectSession session) {
        return sweeps.pending(session);
    }

    private List<String> interrupt(InterruptRequest.Builder request) {
        try {
            return control.get().interrupt(request.build()).getInterruptedIdsList();
        } catch (StatusRuntimeException e) {
            throw SparkErrors.decode(e);
        }
    }

    void interruptAsync(ConnectSession session, String operationId) {
        inFlight.incrementAndGet();
        sweeps.after(session, operationId);
        interrupt(session, operationId, 0);
    }

    int inFlight() {
        return inFlight.get();
    }

    /**
     * Interrupts until Spark confirms it (the id is among {@code interrupted_ids}) or a few tries
     * passed: an ExecutePlan sent a moment before may not be registered yet when the first Interrupt
     * arrives, and Spark then ignores it and runs the operation to its end. A try for an operation
     * that already ended costs one small RPC.
     */
    private void interrupt(ConnectSession session, String operationId, int attempt) {
        InterruptRequest request = request(session)
                .setInterruptType(InterruptRequest.InterruptType.INTERRUPT_TYPE_OPERATION_ID)
                .setOperationId(operationId).build();
        StreamObserver<InterruptResponse> observer = new LoggingObserver<>("interrupt of " + operationId) {
            @Override
            public void onNext(InterruptResponse response) {
                if (response.getInterruptedIdsList().contains(operationId) || attempt >= RETRIES) {
                    super.onNext(response);
                    inFlight.decrementAndGet();
                    return;
                }
                retries.schedule(() -> interrupt(session, operationId, attempt + 1),
                        RETRY_DELAY.toMillis() << attempt, TimeUnit.MILLISECONDS);
            }

            @Override
            public void onError(Throwable t) {
                super.onError(t);
                inFlight.decrementAndGet();
            }
        };
        // Under ROOT: the caller (an HTTP close handler, a timer) may sit in an already cancelled
        // context, which would cancel this call before it leaves.
        Context.ROOT.run(() -> async.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .interrupt(request, observer));
    }

    private static InterruptRequest.Builder request(ConnectSession session) {
        InterruptRequest.Builder request = InterruptRequest.newBuilder()
                .setSessionId(session.sessionId())
                .setUserContext(GrpcSparkConnectClient.user(session))
                .setClientType(GrpcSparkConnectClient.CLIENT_TYPE);
        session.serverSideSessionId().ifPresent(request::setClientObservedServerSideSessionId);
        return request;
    }

    /** Sweeps after these interrupted operations (also those a front client interrupted itself); returns them. */
    List<String> sweepAfter(ConnectSession session, List<String> operationIds) {
        operationIds.forEach(id -> sweeps.after(session, id));
        return operationIds;
    }

    /** ReleaseSession once the session's orphan sweeps are done. */
    void release(ConnectSession session, Runnable release) {
        sweeps.release(session, release);
    }

    @Override
    public void close() {
        // The sweeps first: they run on the retry timer.
        sweeps.close(shutdownSweeps);
        retries.shutdownNow();
    }
}
