package dev.sparkgateway.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.sparkgateway.deploy.Env.nz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the overlays keep statements (docs/deploy.md, "Several replicas"): dev in one replica's
 * memory; production in PostgreSQL, whose URL and credentials come from a Secret the operator
 * creates, with the result spool on one ReadWriteMany claim every replica mounts, and a grace
 * period that covers every wait of a shutdown.
 */
class StatementStoreManifestsTest {

    /** Created by the operator (docs/deploy.md): keys jdbc-url, username, password. */
    static final String DATABASE_SECRET = "spark-connect-gateway-postgresql";
    static final String SPOOL_CLAIM = "spark-connect-gateway-spool";
    static final Map<String, String> DATASOURCE_KEYS = Map.of(
            "QUARKUS_DATASOURCE_JDBC_URL", "jdbc-url",
            "QUARKUS_DATASOURCE_USERNAME", "username",
            "QUARKUS_DATASOURCE_PASSWORD", "password");
    /** PostgreSQL's default max_connections and superuser_reserved_connections, and room for migrations and people. */
    static final int MAX_CONNECTIONS = 100;
    static final int RESERVED_CONNECTIONS = 3;
    static final int SPARE_CONNECTIONS = 10;

    private static Deployment gateway(Rendered rendered) {
        return rendered.get(Deployment.class, "spark-connect-gateway");
    }

    private static Container gatewayContainer(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("gateway")).findFirst().orElseThrow();
    }

    private static Map<String, Env.Entry> env(Rendered rendered) {
        return Env.of(gatewayContainer(gateway(rendered)), rendered);
    }

    @Test
    void productionKeepsStatementsInPostgresqlWithTheDatabaseFromTheOperatorsSecret() {
        Rendered production = Rendered.of("overlays/production");
        Map<String, Env.Entry> env = env(production);
        assertEquals("postgresql", env.get("GATEWAY_STATEMENTS_STORE").value());
        DATASOURCE_KEYS.forEach((name, key) -> {
            assertTrue(env.containsKey(name), name);
            assertEquals("secret:" + DATABASE_SECRET + "/" + key, env.get(name).source(), name);
        });
        // Nothing about the database but pool sizing sits in a ConfigMap, and no document holds a password.
        for (ConfigMap configMap : production.all(ConfigMap.class)) {
            for (String key : configMap.getData() == null ? List.<String>of() : configMap.getData().keySet()) {
                assertFalse(DATASOURCE_KEYS.containsKey(key), "ConfigMap/" + configMap.getMetadata().getName() + " holds " + key);
            }
        }
        production.documents.forEach(d -> assertFalse(d.toString().toLowerCase().contains("password="), d.toString()));
    }

    @Test
    void everyProductionReplicaMountsTheOneReadWriteManyClaimAtTheSpoolDir() {
        Rendered production = Rendered.of("overlays/production");
        Deployment deployment = gateway(production);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = gatewayContainer(deployment);
        String dir = Env.of(container, production).get("GATEWAY_STATEMENTS_SPOOL_DIR").value();

        // A Deployment's replicas share its pod template, so they all mount this one claim.
        VolumeMount mount = nz(container.getVolumeMounts()).stream().filter(m -> m.getMountPath().equals(dir))
                .findFirst().orElseThrow(() -> new AssertionError("nothing is mounted at the spool dir " + dir));
        assertNotEquals(Boolean.TRUE, mount.getReadOnly());
        Volume volume = nz(pod.getVolumes()).stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertNull(volume.getEmptyDir(), "the spool is not an emptyDir");
        assertEquals(SPOOL_CLAIM, volume.getPersistentVolumeClaim().getClaimName());

        PersistentVolumeClaim claim = production.get(PersistentVolumeClaim.class, SPOOL_CLAIM);
        assertEquals(List.of("ReadWriteMany"), claim.getSpec().getAccessModes());
        assertNull(claim.getSpec().getStorageClassName(), "the storage class is the operator's choice (docs/deploy.md)");
        assertEquals(1, production.all(PersistentVolumeClaim.class).size());

        int replicas = GatewayRules.maxReplicas(production, deployment);
        long perReplica = new MemorySizeConverter().convert(
                GatewayRules.setting(Env.of(container, production), "GATEWAY_STATEMENTS_SPOOL_MAX_SIZE", "spoolMaxSize")).asLongValue();
        BigDecimal size = Quantity.getAmountInBytes(claim.getSpec().getResources().getRequests().get("storage"));
        assertTrue(size.compareTo(BigDecimal.valueOf(perReplica).multiply(BigDecimal.valueOf(replicas))) >= 0,
                "the claim holds maxReplicas (" + replicas + ") x spool-max-size: " + size);
    }

    @Test
    void productionDatabaseConnectionsFitPostgresqlsDefaultMaxConnectionsDuringARollout() {
        Rendered production = Rendered.of("overlays/production");
        Deployment deployment = gateway(production);
        int maxReplicas = production.get(HorizontalPodAutoscaler.class, "spark-connect-gateway").getSpec().getMaxReplicas();
        int surge = deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal();
        int perReplica = Integer.parseInt(env(production).get("QUARKUS_DATASOURCE_JDBC_MAX_SIZE").value());
        int connections = (maxReplicas + surge) * perReplica;
        assertTrue(connections <= MAX_CONNECTIONS - RESERVED_CONNECTIONS - SPARE_CONNECTIONS,
                "(" + maxReplicas + " + " + surge + ") x " + perReplica + " = " + connections + " connections");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production"})
    void theGracePeriodCoversPreStopHttpDrainAndStatementGrace(String overlay) {
        Rendered rendered = Rendered.of(overlay);
        Deployment deployment = gateway(rendered);
        Container container = gatewayContainer(deployment);
        Map<String, Env.Entry> env = Env.of(container, rendered);
        Duration preStop = GatewayRules.preStop(container);
        Duration drain = DurationConverter.parseDuration(env.get("QUARKUS_SHUTDOWN_TIMEOUT").value());
        boolean shared = GatewayRules.setting(env, "GATEWAY_STATEMENTS_STORE", "store").equals("postgresql");
        Duration statements = shared ? GatewayRules.duration(env, "GATEWAY_STATEMENTS_SHUTDOWN_GRACE", "shutdownGrace")
                : Duration.ZERO;
        assertTrue(preStop.toSeconds() > 0, "the Service drops the pod before the JVM stops accepting");
        assertTrue(drain.toSeconds() > 0, "in-flight requests get time to finish");
        if (shared) {
            assertTrue(statements.toSeconds() > 0, "running statements get time to finish");
        }
        // Quarkus drains HTTP requests first, then fires the shutdown event that waits for statements.
        long needed = preStop.plus(drain).plus(statements).plus(GatewayRules.EXIT_MARGIN).toSeconds();
        long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertTrue(grace >= needed, overlay + ": terminationGracePeriodSeconds " + grace + " < " + needed);
    }

    @Test
    void devKeepsStatementsInMemoryOnOneReplica() {
        Rendered dev = Rendered.of("overlays/dev");
        Map<String, Env.Entry> env = env(dev);
        assertEquals("memory", env.get("GATEWAY_STATEMENTS_STORE").value());
        assertFalse(env.containsKey("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals(1, GatewayRules.maxReplicas(dev, gateway(dev)), "replicas and the autoscaler's maximum");
        assertTrue(dev.all(PersistentVolumeClaim.class).isEmpty());
    }
}
