package dev.sparkgateway.testing;

import dev.sparkgateway.connect.SparkConnectClient;
import dev.sparkgateway.session.SessionPool;
import dev.sparkgateway.statement.Statements;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

import java.net.URI;

/**
 * Base of the statement API tests: a {@link StatementClient} on the gateway under test, and the
 * gateway's own view of its statements and Spark sessions, to check that nothing is left behind.
 */
public abstract class StatementApiTest {

    @TestHTTPResource("/")
    URI base;
    @Inject
    SessionPool pool;
    @Inject
    SparkConnectClient client;
    @Inject
    protected Statements statements;

    protected StatementClient api;

    @BeforeEach
    void connect() {
        api = new StatementClient(base);
    }

    /** How many statements the gateway holds, in any state. */
    protected long held() {
        return statements.counts().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Waits until no session is leased, then checks that nothing still runs in Spark. */
    protected void assertNothingRunsInSpark() {
        StatementClient.assertNothingRunsInSpark(pool, client);
    }
}
