package dev.sparkgateway.query;

import dev.sparkgateway.connect.Execution;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.ExecutePlanResponse.ExecutionProgress;

import java.util.function.Consumer;

/** Hands Spark's progress reports to a listener as the responses are pulled. */
final class ObservedExecution implements Execution {

    private final Execution execution;
    private final Consumer<ExecutionProgress> progress;

    ObservedExecution(Execution execution, Consumer<ExecutionProgress> progress) {
        this.execution = execution;
        this.progress = progress;
    }

    @Override
    public String operationId() {
        return execution.operationId();
    }

    @Override
    public ExecutePlanResponse next() {
        ExecutePlanResponse response = execution.next();
        if (response != null && response.hasExecutionProgress()) {
            progress.accept(response.getExecutionProgress());
        }
        return response;
    }

    @Override
    public boolean isComplete() {
        return execution.isComplete();
    }

    @Override
    public void cancel() {
        execution.cancel();
    }

    @Override
    public void close() {
        execution.close();
    }
}
