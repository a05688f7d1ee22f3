package dev.sparkgateway.connect;

import dev.sparkgateway.error.SparkException;
import org.apache.spark.connect.proto.ExecutePlanResponse;

/**
 * One running Spark Connect operation whose responses are pulled one by one; pulling is what
 * lets gRPC flow control hold Spark back, so memory stays bounded by one message.
 */
public interface Execution extends AutoCloseable {

    String operationId();

    /** The next response, or null when the operation completed. Throws {@link SparkException}. */
    ExecutePlanResponse next();

    /** True once {@link #next()} returned null. */
    boolean isComplete();

    /** Interrupts the operation on the server and cancels the stream. Safe from any thread, idempotent, never blocks. */
    void cancel();

    /** Cancels the operation unless it already completed. */
    @Override
    void close();
}
