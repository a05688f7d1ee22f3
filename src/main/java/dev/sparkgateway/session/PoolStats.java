package dev.sparkgateway.session;

/** A snapshot of the pool, summed over users. */
public record PoolStats(int idle, int inUse, int waiting, long created, long discarded) {
}
