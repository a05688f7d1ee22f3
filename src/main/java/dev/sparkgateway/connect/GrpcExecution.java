package dev.sparkgateway.connect;

import dev.sparkgateway.error.SparkException;
import io.grpc.StatusRuntimeException;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;

import java.util.Iterator;

/** A server-streaming ExecutePlan call pulled with the blocking stub (non-reattachable mode). */
final class GrpcExecution extends StreamingExecution {

    private Iterator<ExecutePlanResponse> responses;
    private boolean received;
    private int attempts;

    GrpcExecution(GrpcSparkConnectClient client, ConnectSession session, ExecutePlanRequest request, SparkConnectConfig config) {
        super(client, session, request, config);
    }

    @Override
    public ExecutePlanResponse next() {
        if (complete) {
            return null;
        }
        while (true) {
            try {
                if (responses == null) {
                    responses = open(stub -> AliasingResponses.executePlan(stub, request));
                }
                if (!responses.hasNext()) {
                    complete = true;
                    closeStream();
                    return null;
                }
                ExecutePlanResponse response = responses.next();
                received = true;
                GrpcSparkConnectClient.checkSession(session, response.getSessionId(), response.getServerSideSessionId());
                return response;
            } catch (StatusRuntimeException e) {
                closeStream();
                if (cancelled) {
                    failed = true;
                    throw cancelledError(e);
                }
                SparkException error = client.failure(session, e);
                // Only a call that never got an answer is safe to repeat: the server has not started it.
                if (!received && error.isUnavailable() && ++attempts < config.maxAttempts()) {
                    backoff(attempts);
                    responses = null;
                    continue;
                }
                failed = true;
                throw error;
            }
        }
    }
}
