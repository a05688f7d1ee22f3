package dev.sparkgateway.front;

import dev.sparkgateway.error.DeniedException;
import dev.sparkgateway.error.GatewayException;
import dev.sparkgateway.error.InvalidRequestException;
import dev.sparkgateway.error.LimitExceededException;
import dev.sparkgateway.error.NotFoundException;
import dev.sparkgateway.error.SparkException;
import dev.sparkgateway.error.UnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jboss.logging.Logger;

/**
 * The gRPC status a Spark Connect client gets for a failure inside the gateway, before anything
 * reached Spark (Spark's own failures pass through unchanged). The HTTP doors answer problem+json
 * through problem/Problems; a gRPC client understands only a status, so this is the front's one mapping.
 */
final class FrontStatus {

    private static final Logger LOG = Logger.getLogger(FrontStatus.class);

    private FrontStatus() {
    }

    static Status of(Throwable error) {
        if (error instanceof StatusRuntimeException s) {
            return s.getStatus();
        }
        if (error instanceof GatewayException g) {
            return Status.fromCode(code(g)).withDescription(g.getMessage());
        }
        LOG.errorf(error, "Spark Connect front: unexpected failure");
        return Status.INTERNAL.withDescription("internal gateway error");
    }

    private static Status.Code code(GatewayException error) {
        if (error instanceof DeniedException d) {
            return d.reason() == DeniedException.Reason.UNAUTHENTICATED ? Status.Code.UNAUTHENTICATED : Status.Code.PERMISSION_DENIED;
        }
        if (error instanceof SparkException s) {
            return s.code();
        }
        if (error instanceof LimitExceededException) {
            return Status.Code.RESOURCE_EXHAUSTED;
        }
        if (error instanceof InvalidRequestException) {
            return Status.Code.INVALID_ARGUMENT;
        }
        if (error instanceof NotFoundException) {
            return Status.Code.NOT_FOUND;
        }
        if (error instanceof UnavailableException u) {
            // The policy extension missing is the operator's to fix, not worth a client's retry.
            return u.reason() == UnavailableException.Reason.SPARK_POLICY ? Status.Code.FAILED_PRECONDITION : Status.Code.UNAVAILABLE;
        }
        return Status.Code.INTERNAL;
    }

    static StatusRuntimeException denied(String message) {
        return Status.PERMISSION_DENIED.withDescription(message).asRuntimeException();
    }
}
