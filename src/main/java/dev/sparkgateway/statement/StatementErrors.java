package dev.sparkgateway.statement;

import dev.sparkgateway.error.ConflictException;
import dev.sparkgateway.error.GatewayException;
import dev.sparkgateway.error.NotFoundException;
import dev.sparkgateway.error.UnavailableException;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** The answers of requests about statements that cannot be served, worded for their caller. */
final class StatementErrors {

    /** For a chunk not spooled yet: chunks come every few hundred milliseconds while a result streams. */
    private static final Duration CHUNK_RETRY_AFTER = Duration.ofSeconds(1);

    private StatementErrors() {
    }

    /** {@code id} is unknown; {@code gone} says why, only to those who could see it. */
    static NotFoundException notFound(String id, Optional<StatementStore.Gone> gone, StatementConfig config) {
        if (gone.isEmpty()) {
            return new NotFoundException("No statement " + id + ": it never existed, or the gateway restarted since"
                    + " (with gateway.statements.store=memory, statements live in the gateway's memory only), or it was"
                    + " removed long ago (DELETE, result TTL, or eviction)");
        }
        StatementStore.Gone why = gone.get();
        return new NotFoundException(switch (why.why()) {
            case DELETED -> "Statement " + id + " was deleted (DELETE) at " + why.at() + ", its result with it";
            case EXPIRED -> "Statement " + id + " expired at " + why.at() + ": its result TTL ("
                    + "gateway.statements.result-ttl = " + config.resultTtl() + ") passed";
            case EVICTED -> "Statement " + id + " was evicted at " + why.at() + " to make room for newer ones: the"
                    + " gateway holds at most " + config.maxStored() + " statements (gateway.statements.max-stored)"
                    + " and drops the oldest finished ones first";
        });
    }

    /** A statement's error when the replica running it stopped answering (postgresql store). */
    static UnavailableException instanceLost(String instance, Duration lease) {
        return new UnavailableException(UnavailableException.Reason.INSTANCE_LOST, "The gateway instance running the"
                + " statement (" + instance + ") stopped renewing its lease for " + lease + " (gateway.statements.lease)"
                + " and is taken for lost; submit the statement again");
    }

    /** A statement's error when this replica shut down before it finished. */
    static UnavailableException instanceStopped() {
        return new UnavailableException(UnavailableException.Reason.INSTANCE_LOST, "The gateway instance running the"
                + " statement shut down before it finished (gateway.statements.shutdown-grace); submit it again");
    }

    static ConflictException idempotencyConflict(String key, UUID existing) {
        return ConflictException.idempotency("Idempotency-Key '" + key
                + "' was used for a different request (statement " + existing + ")");
    }

    /** Chunk {@code index} cannot be read from a statement in {@code view}'s state. */
    static GatewayException noChunk(StatementView view, int index) {
        return switch (view.state()) {
            case PENDING, RUNNING -> ConflictException.resultUnavailable("Chunk " + index
                    + " is not spooled yet; the statement is " + view.state() + " with " + view.chunks().size()
                    + " chunk(s) so far", CHUNK_RETRY_AFTER);
            case SUCCEEDED -> new NotFoundException("No chunk " + index + "; the result has chunks 0.."
                    + (view.chunks().size() - 1));
            default -> ConflictException.resultUnavailable("The statement is "
                    + view.state() + "; it has no result to fetch", null);
        };
    }
}
