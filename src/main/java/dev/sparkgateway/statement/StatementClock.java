package dev.sparkgateway.statement;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The wall clock statements are dated and timed out by (createdAt, endedAt, the result TTL, the
 * abandoned-timeout of the memory store). A bean, so a test can put a clock it advances in its
 * place and see a TTL pass without waiting it out. The postgresql store decides TTLs and leases by
 * the database's {@code now()} instead: the one clock every replica shares.
 */
@Singleton
public class StatementClock {

    @Produces
    @DefaultBean
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
