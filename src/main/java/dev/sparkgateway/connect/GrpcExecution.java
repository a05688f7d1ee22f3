package dev.sparkgateway.connect;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/** A server-streaming ExecutePlan call pulled with the blocking stub. */
final class GrpcExecution implements Execution {

    private final GrpcSparkConnectClient client;
    private final ConnectSession session;
    private final ExecutePlanRequest request;
    private final SparkConnectConfig config;
    private volatile Context.CancellableContext context;
    private Iterator<ExecutePlanResponse> responses;
    private boolean received;
    private boolean complete;
    private volatile boolean failed;
    private int attempts;
    private volatile boolean cancelled;

    GrpcExecution(GrpcSparkConnectClient client, ConnectSession session, ExecutePlanRequest request, SparkConnectConfig config) {
        this.client = client;
        this.session = session;
        this.request = request;
        this.config = config;
    }

    @Override
    public String operationId() {
        return request.getOperationId();
    }

    @Override
    public ExecutePlanResponse next() {
        if (complete) {
            return null;
        }
        while (true) {
            try {
                if (responses == null) {
                    start();
                }
                if (!responses.hasNext()) {
                    complete = true;
                    context.close();
                    return null;
                }
                ExecutePlanResponse response = responses.next();
                received = true;
                GrpcSparkConnectClient.checkSession(session, response.getSessionId(), response.getServerSideSessionId());
                return response;
            } catch (StatusRuntimeException e) {
                context.close();
                if (cancelled) {
                    failed = true;
                    throw cancelledError(e);
                }
                SparkException error = client.unavailableReconnects(SparkErrors.decode(e));
                // Only a call that never got an answer is safe to repeat: the server has not started it.
                if (!received && error.isUnavailable() && ++attempts < config.maxAttempts()) {
                    backoff();
                    responses = null;
                    continue;
                }
                failed = true;
                throw error;
            }
        }
    }

    private void start() {
        if (cancelled) {
            throw cancelledError(null);
        }
        // From ROOT, not current(): a request thread may carry an older (cancelled) context.
        context = Context.ROOT.withCancellation();
        Context previous = context.attach();
        try {
            responses = client.blocking().executePlan(request);
        } finally {
            context.detach(previous);
        }
    }

    private void backoff() {
        long millis = config.initialBackoff().toMillis() << Math.min(attempts - 1, 10);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelledError(null);
        }
    }

    private SparkException cancelledError(Throwable cause) {
        return new SparkException(Status.Code.CANCELLED, "The operation was cancelled", Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), cause);
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public void cancel() {
        if (complete || cancelled) {
            return;
        }
        cancelled = true;
        if (!failed) {
            client.interruptAsync(session, operationId());
        }
        Context.CancellableContext ctx = context;
        if (ctx != null) {
            ctx.cancel(null);
        }
    }

    @Override
    public void close() {
        if (!complete && !failed) {
            cancel();
        }
    }
}
