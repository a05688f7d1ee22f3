package dev.sparkgateway.connect;

import dev.sparkgateway.error.SparkException;
import io.grpc.StatusRuntimeException;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.ReattachExecuteRequest;

import java.util.Iterator;

/**
 * An execution in Spark Connect's reattachable mode. The server buffers responses and ends a
 * stream on purpose after {@code senderMaxStreamDuration} (2 min) or {@code senderMaxStreamSize}
 * (1 GiB): a stream that ends without {@code result_complete} is such a cut, not the end, so this
 * resumes it with {@code ReattachExecute} after the last response seen. Responses already consumed
 * are released ({@code ReleaseExecute}) so the server can drop them, and everything is released
 * at the end, on failure or on cancel.
 */
final class ReattachingExecution extends StreamingExecution {

    private Iterator<ExecutePlanResponse> responses;
    private boolean executeSent;
    private String lastResponseId;
    private boolean resultComplete;
    private int attempts;

    ReattachingExecution(GrpcSparkConnectClient client, ConnectSession session, ExecutePlanRequest request,
            SparkConnectConfig config) {
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
                    responses = executeSent ? open(stub -> AliasingResponses.reattachExecute(stub, reattachRequest())) : open(stub -> {
                        executeSent = true;
                        return AliasingResponses.executePlan(stub, request);
                    });
                }
                if (!responses.hasNext()) {
                    closeStream();
                    responses = null;
                    if (resultComplete) {
                        complete = true;
                        client.releaseExecuteAsync(session, operationId(), null);
                        return null;
                    }
                    client.countReattach();
                    continue;
                }
                ExecutePlanResponse response = responses.next();
                GrpcSparkConnectClient.checkSession(session, response.getSessionId(), response.getServerSideSessionId());
                attempts = 0;
                lastResponseId = response.getResponseId();
                if (response.hasResultComplete()) {
                    resultComplete = true;
                } else {
                    client.releaseExecuteAsync(session, operationId(), lastResponseId);
                }
                return response;
            } catch (StatusRuntimeException e) {
                closeStream();
                responses = null;
                if (cancelled) {
                    failed = true;
                    throw cancelledError(e);
                }
                SparkException error = client.failure(session, e);
                if (++attempts < config.maxAttempts()) {
                    if (isNotFound(error) && lastResponseId == null) {
                        // The first ExecutePlan never reached the server: send it again.
                        executeSent = false;
                        continue;
                    }
                    if (isTransient(error)) {
                        backoff(attempts);
                        client.countReattach();
                        continue;
                    }
                }
                failed = true;
                client.releaseExecuteAsync(session, operationId(), null);
                throw error;
            }
        }
    }

    private ReattachExecuteRequest reattachRequest() {
        ReattachExecuteRequest.Builder reattach = ReattachExecuteRequest.newBuilder()
                .setSessionId(session.sessionId())
                .setUserContext(request.getUserContext())
                .setClientType(GrpcSparkConnectClient.CLIENT_TYPE)
                .setOperationId(operationId());
        session.serverSideSessionId().ifPresent(reattach::setClientObservedServerSideSessionId);
        if (lastResponseId != null) {
            reattach.setLastResponseId(lastResponseId);
        }
        return reattach.build();
    }

    /** A broken connection, not an answer: the operation goes on on the server, so reattach. */
    private static boolean isTransient(SparkException error) {
        return error.isUnavailable() || error.errorClass().filter("INVALID_CURSOR.DISCONNECTED"::equals).isPresent();
    }

    private static boolean isNotFound(SparkException error) {
        return error.errorClass().filter("INVALID_HANDLE.OPERATION_NOT_FOUND"::equals).isPresent();
    }

    @Override
    protected void afterInterrupt() {
        // Without a release the server keeps the interrupted operation's buffer until detachedTimeout.
        client.releaseExecuteAsync(session, operationId(), null);
    }
}
