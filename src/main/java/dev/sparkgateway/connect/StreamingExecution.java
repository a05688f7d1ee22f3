package dev.sparkgateway.connect;

import dev.sparkgateway.error.StoppedException;
import io.grpc.Context;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc.SparkConnectServiceBlockingStub;

import java.util.Iterator;
import java.util.function.Function;

/**
 * What both kinds of execution stream share: opening a server-streaming call in its own
 * cancellable context, back-off between tries, and cancellation from any thread.
 */
abstract class StreamingExecution implements Execution {

    protected final GrpcSparkConnectClient client;
    protected final ConnectSession session;
    protected final SparkConnectConfig config;
    protected final ExecutePlanRequest request;
    private volatile Context.CancellableContext context;
    protected volatile boolean complete;
    protected volatile boolean failed;
    protected volatile boolean cancelled;

    StreamingExecution(GrpcSparkConnectClient client, ConnectSession session, ExecutePlanRequest request,
            SparkConnectConfig config) {
        this.client = client;
        this.session = session;
        this.request = request;
        this.config = config;
    }

    @Override
    public final String operationId() {
        return request.getOperationId();
    }

    /** Opens a stream with {@code call}; the stream lives in a fresh context that {@link #cancel()} cancels. */
    protected final Iterator<ExecutePlanResponse> open(Function<SparkConnectServiceBlockingStub, Iterator<ExecutePlanResponse>> call) {
        if (cancelled) {
            throw cancelledError(null);
        }
        // From ROOT, not current(): a request thread may carry an older (cancelled) context.
        Context.CancellableContext ctx = Context.ROOT.withCancellation();
        context = ctx;
        if (cancelled) {
            // cancel() ran between the check above and now and found no context to cancel.
            ctx.cancel(null);
            throw cancelledError(null);
        }
        Context previous = ctx.attach();
        try {
            return call.apply(client.blocking());
        } finally {
            ctx.detach(previous);
        }
    }

    /** Ends the current stream's context (after it completed or failed). */
    protected final void closeStream() {
        Context.CancellableContext ctx = context;
        if (ctx != null) {
            ctx.close();
        }
    }

    /** Sleeps before try number {@code attempt} (1-based), doubling from the initial back-off. */
    protected final void backoff(int attempt) {
        long millis = config.initialBackoff().toMillis() << Math.min(attempt - 1, 10);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelledError(null);
        }
    }

    protected static StoppedException cancelledError(Throwable cause) {
        return StoppedException.cancelled("The operation was cancelled", cause);
    }

    @Override
    public final boolean isComplete() {
        return complete;
    }

    @Override
    public final void cancel() {
        if (complete || cancelled) {
            return;
        }
        cancelled = true;
        if (!failed) {
            client.interruptAsync(session, operationId());
            afterInterrupt();
        }
        Context.CancellableContext ctx = context;
        if (ctx != null) {
            ctx.cancel(null);
        }
    }

    /** Extra clean-up on the server after an interrupt was sent. */
    protected void afterInterrupt() {
    }

    @Override
    public void close() {
        if (!complete && !failed) {
            cancel();
        }
    }
}
