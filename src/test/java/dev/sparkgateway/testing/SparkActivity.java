package dev.sparkgateway.testing;

import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.session.PoolStats;
import dev.sparkgateway.session.SessionPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/** What the gateway under test still runs in Spark, for tests that interrupt or time out work. */
@ApplicationScoped
public class SparkActivity {

    @Inject
    SessionPool pool;

    @Inject
    SparkConnectClient client;

    public PoolStats pool() {
        return pool.stats();
    }

    /** Waits until the sweeps for orphaned jobs after interrupts are done (seconds after each interrupted operation ended). */
    public void awaitSweeps(Duration atMost) {
        org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> client.sweeping().isEmpty());
    }

    /** Waits until no session is leased, then checks that no operation still runs in any pooled session. */
    public void assertNothingRuns() throws InterruptedException {
        StatementClient.assertNothingRunsInSpark(pool, client);
    }
}
