package dev.sparkgateway.statement;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.sparkgateway.error.StoppedException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Every second: cancels running statements of this process nobody asked about (on any replica)
 * for {@code abandoned-timeout}, and drops finished ones whose {@code result-ttl} passed.
 */
final class StatementReaper {

    private static final Logger LOG = Logger.getLogger(StatementReaper.class);

    private final StatementStore store;
    private final Duration abandonedTimeout;
    private final Duration resultTtl;
    private final Consumer<Statement> expire;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("statement-reaper").setDaemon(true).build());

    /** @param expire removes an expired statement with its result */
    StatementReaper(StatementStore store, Duration abandonedTimeout, Duration resultTtl, Consumer<Statement> expire) {
        this.store = store;
        this.abandonedTimeout = abandonedTimeout;
        this.resultTtl = resultTtl;
        this.expire = expire;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::reap, 1, 1, TimeUnit.SECONDS);
    }

    void stop() {
        timer.shutdownNow();
    }

    private void reap() {
        try {
            for (Statement s : store.local()) {
                if (!s.ended() && s.idle().compareTo(abandonedTimeout) > 0) {
                    LOG.infof("statement %s abandoned: nobody polled it for %s", s.id(), abandonedTimeout);
                    store.cancel(s, StoppedException.cancelled("Nobody polled the statement for " + abandonedTimeout
                            + " (gateway.statements.abandoned-timeout), so it was cancelled"));
                }
            }
            store.expired(resultTtl).forEach(expire);
        } catch (RuntimeException e) {
            LOG.warnf(e, "statement reaper failed");
        }
    }
}
