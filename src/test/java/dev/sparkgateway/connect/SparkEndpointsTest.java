package dev.sparkgateway.connect;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gateway.spark.url and gateway.spark.endpoints read through SmallRye Config as the app reads them. */
class SparkEndpointsTest {

    private static SparkConnectConfig config(Map<String, String> properties, Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SparkConnectConfig.class)
                // "10s" as Quarkus reads it
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 400), new EnvConfigSource(env, 300))
                .build();
        return config.getConfigMapping(SparkConnectConfig.class);
    }

    private static SparkConnectConfig config(Map<String, String> properties) {
        return config(properties, Map.of());
    }

    @Test
    void nothingSetMeansTheEmbeddedServer() {
        assertEquals(Optional.empty(), SparkEndpoints.fromConfig(config(Map.of())));
    }

    @Test
    void theSingleUrlIsTheEndpointNamedDefaultAndTheGlobalTokenOverridesItsOwn() {
        SparkEndpoints e = SparkEndpoints.fromConfig(config(Map.of("gateway.spark.url", "sc://spark:15002/;token=inurl",
                "gateway.spark.token", "global"))).orElseThrow();
        assertEquals(List.of("default"), e.names());
        assertEquals("spark", e.all().get(0).address().host());
        assertEquals(Optional.of("global"), e.all().get(0).address().token());
        assertEquals("sc://spark:15002", e.display());
    }

    @Test
    void namedEndpointsAreSortedAndEachOwnTokenWinsOverTheGlobalOne() {
        SparkEndpoints e = SparkEndpoints.fromConfig(config(Map.of(
                "gateway.spark.endpoints.west.url", "sc://w:1/;token=inurl",
                "gateway.spark.endpoints.east.url", "sc://e:2",
                "gateway.spark.endpoints.east.token", "own",
                "gateway.spark.endpoints.north.url", "sc://n:3",
                "gateway.spark.token", "global"))).orElseThrow();
        assertEquals(List.of("east", "north", "west"), e.names());
        assertEquals(List.of(Optional.of("own"), Optional.of("global"), Optional.of("inurl")),
                e.all().stream().map(x -> x.address().token()).toList());
        assertEquals("east=sc://e:2, north=sc://n:3, west=sc://w:1", e.display());
    }

    @Test
    void theUrlAndNamedEndpointsAddUpWithDefaultFirst() {
        SparkEndpoints e = SparkEndpoints.fromConfig(config(Map.of("gateway.spark.url", "sc://a",
                "gateway.spark.endpoints.b.url", "sc://b"))).orElseThrow();
        assertEquals(List.of("default", "b"), e.names());
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> SparkEndpoints.fromConfig(config(Map.of(
                "gateway.spark.url", "sc://a", "gateway.spark.endpoints.default.url", "sc://b"))));
        assertTrue(clash.getMessage().contains("gateway.spark.endpoints.default"), clash.getMessage());
    }

    @Test
    void environmentVariablesNameEndpointsToo() {
        SparkEndpoints e = SparkEndpoints.fromConfig(config(Map.of(), Map.of(
                "GATEWAY_SPARK_ENDPOINTS_EAST_URL", "sc://e:15002",
                "GATEWAY_SPARK_ENDPOINTS_WEST_URL", "sc://w:15002"))).orElseThrow();
        assertEquals(List.of("east", "west"), e.names());
    }

    @Test
    void aBadUrlOrNameSaysWhichSetting() {
        IllegalArgumentException url = assertThrows(IllegalArgumentException.class, () -> SparkEndpoints.fromConfig(config(Map.of(
                "gateway.spark.endpoints.east.url", "http://e"))));
        assertTrue(url.getMessage().startsWith("gateway.spark.endpoints.east.url: "), url.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SparkEndpoint("a b", ConnectEndpoint.local(1)));
    }

    @Test
    void endpointsStartUpAndFollowWhatTheyAreToldLoggingOnlyChanges() {
        SparkEndpoints e = new SparkEndpoints(List.of(new SparkEndpoint("a", ConnectEndpoint.local(1)),
                new SparkEndpoint("b", ConnectEndpoint.local(2))));
        assertTrue(e.isUp("a") && e.isUp("b"));
        e.markDown("a", "refused");
        assertFalse(e.isUp("a"));
        assertTrue(e.isUp("b"));
        e.markUp("a");
        assertTrue(e.isUp("a"));
        assertFalse(e.isUp("unknown"));
        assertThrows(IllegalArgumentException.class, () -> new SparkEndpoints(List.of(new SparkEndpoint("a", ConnectEndpoint.local(1)),
                new SparkEndpoint("a", ConnectEndpoint.local(2)))));
    }
}
