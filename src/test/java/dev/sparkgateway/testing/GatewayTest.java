package dev.sparkgateway.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Registers the shared Spark Connect server for every test. The annotation is global
 * (restrictToAnnotatedClass = false), so all @QuarkusTest classes share one server.
 */
@QuarkusTestResource(value = SparkConnectTestResource.class, restrictToAnnotatedClass = false)
public final class GatewayTest {

    private GatewayTest() {
    }
}
