package dev.sparkgateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.connect.ConnectEndpoint;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.sparkgateway.deploy.Env.nz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The k8s/ overlays and the sidecar example render (with {@code kubectl kustomize}), match the
 * Kubernetes schema strictly ({@link KubernetesSchema}), follow {@link ManifestRules}, and point
 * the gateway at the Spark Connect Service. Rendered output lands in target/k8s-rendered/.
 */
class ManifestsTest {

    /**
     * Secrets an overlay may reference without rendering them, because operators create them by
     * hand (docs/deploy.md, "The token Secret"). Everything else must be rendered in the overlay.
     */
    static final Map<String, Set<String>> EXTERNAL_SECRETS = Map.of(
            "overlays/dev", Set.of(),
            "overlays/production", Set.of("spark-connect-token", "spark-connect-gateway-api-keys",
                    StatementStoreManifestsTest.DATABASE_SECRET),
            "examples/sidecar", Set.of("spark-connect-token"));

    static final Map<String, String> NAMESPACES = new HashMap<>(Map.of(
            "overlays/dev", "spark-gateway-dev",
            "overlays/production", "spark-gateway"));

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production", "examples/sidecar"})
    void rendersObjectsOfKnownKindsThatMatchTheSchema(String overlay) {
        Rendered rendered = Rendered.of(overlay);
        assertFalse(rendered.objects.isEmpty(), overlay + " renders nothing");
        assertEquals(rendered.documents.size(), rendered.objects.size());
        // Round trip: the typed objects hold every field of the documents (nothing was dropped).
        for (int i = 0; i < rendered.objects.size(); i++) {
            JsonNode asTree = Yaml.MAPPER.valueToTree(rendered.objects.get(i));
            List<String> differences = new ArrayList<>();
            diff(rendered.documents.get(i), asTree, "", differences);
            assertEquals(List.of(), differences, "typed object differs: " + rendered.objects.get(i).getKind() + "/"
                    + rendered.objects.get(i).getMetadata().getName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production", "examples/sidecar"})
    void followsTheManifestRules(String overlay) {
        Rendered rendered = Rendered.of(overlay);
        List<String> problems = ManifestRules.check(rendered, EXTERNAL_SECRETS.get(overlay), ReadmeConfig.settings());
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production", "examples/sidecar"})
    void putsEveryObjectInTheOverlayNamespace(String overlay) {
        String expected = NAMESPACES.get(overlay);
        for (HasMetadata object : Rendered.of(overlay).objects) {
            assertEquals(expected, object.getMetadata().getNamespace(), object.getKind() + "/" + object.getMetadata().getName());
        }
    }

    /**
     * Every Spark Connect URL of a gateway ({@code GATEWAY_SPARK_URL} and the named endpoints'
     * {@code GATEWAY_SPARK_ENDPOINTS_<NAME>_URL}) leads through a Service to a Spark Connect
     * server, each to a different driver, and the token comes from the Secret both sides read.
     */
    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production", "examples/sidecar"})
    void pointsEveryGatewayAtSparkConnectServicesWithTheTokenFromTheSecret(String overlay) {
        Rendered rendered = Rendered.of(overlay);
        // The sidecar example expects the Spark Connect Service of the base in its namespace.
        Rendered withSpark = rendered.find(Service.class, "spark-connect").isPresent() ? rendered : Rendered.of("base");
        int gateways = 0;
        for (Rendered.PodTemplate template : rendered.podTemplates()) {
            for (Container container : nz(template.spec().getContainers())) {
                Map<String, Env.Entry> env = Env.of(container, rendered);
                Map<String, String> urls = new TreeMap<>();
                env.forEach((name, entry) -> {
                    if (name.equals("GATEWAY_SPARK_URL") || name.matches("GATEWAY_SPARK_ENDPOINTS_[A-Z0-9_]+_URL")) {
                        urls.put(name, entry.value());
                    }
                });
                if (urls.isEmpty()) {
                    continue;
                }
                gateways++;
                String where = template.owner() + " container " + container.getName();
                Set<String> drivers = new TreeSet<>();
                urls.forEach((name, url) -> drivers.add(sparkConnectServer(withSpark, where + " " + name, url)));
                assertEquals(urls.size(), drivers.size(), where + ": two endpoints lead to one server " + urls);
                assertEquals("secret:spark-connect-token/token", env.get("GATEWAY_SPARK_TOKEN").source(), where);
                assertTrue(env.keySet().stream().noneMatch(n -> n.matches("GATEWAY_SPARK_ENDPOINTS_[A-Z0-9_]+_TOKEN")),
                        where + ": every endpoint takes GATEWAY_SPARK_TOKEN");
                assertEquals("false", env.get("GATEWAY_SPARK_EMBEDDED_ENABLED").value(), where);
            }
        }
        assertTrue(gateways > 0, overlay + " has no gateway container");
    }

    /** The Deployment of the Spark Connect server {@code url} leads to, through its Service. */
    private static String sparkConnectServer(Rendered withSpark, String where, String url) {
        ConnectEndpoint endpoint = ConnectEndpoint.parse(url);
        assertTrue(endpoint.token().isEmpty(), where + ": the token belongs in the Secret, not in the URL");
        String serviceName = endpoint.host().split("\\.")[0];
        Service service = withSpark.get(Service.class, serviceName);
        ServicePort port = nz(service.getSpec().getPorts()).stream()
                .filter(p -> p.getPort() == endpoint.port()).findFirst()
                .orElseThrow(() -> new AssertionError(where + ": Service " + serviceName + " has no port " + endpoint.port()));
        List<Rendered.PodTemplate> servers = withSpark.podTemplatesSelectedBy(service.getSpec().getSelector()).stream()
                .filter(t -> t.workload() && nz(t.spec().getContainers()).stream().anyMatch(c -> c.getImage().startsWith("apache/spark:")
                        && ManifestRules.declares(c, port.getTargetPort())))
                .toList();
        assertEquals(1, servers.size(), where + ": Service " + serviceName + ":" + endpoint.port()
                + " must lead to exactly one Spark Connect server, not " + servers.stream().map(Rendered.PodTemplate::owner).toList());
        return servers.get(0).owner();
    }

    @Test
    void productionSpreadsItsSparkUsersOverTwoSparkConnectServers() {
        Rendered production = Rendered.of("overlays/production");
        Container gateway = production.get(Deployment.class, "spark-connect-gateway").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        Map<String, Env.Entry> env = Env.of(gateway, production);
        assertFalse(env.containsKey("GATEWAY_SPARK_URL"), "named endpoints only, so the metrics say a and b");
        assertEquals("sc://spark-connect:15002", env.get("GATEWAY_SPARK_ENDPOINTS_A_URL").value());
        assertEquals("sc://spark-connect-b:15002", env.get("GATEWAY_SPARK_ENDPOINTS_B_URL").value());
        for (String driver : List.of("spark-connect", "spark-connect-b")) {
            assertEquals("6g", production.get(ConfigMap.class, production.get(Deployment.class, driver).getSpec().getTemplate()
                    .getSpec().getContainers().get(0).getEnvFrom().get(0).getConfigMapRef().getName()).getData().get("DRIVER_MEMORY"),
                    driver + " has production's size");
        }
    }

    @Test
    void theGatewaySettingsInTheManifestsAreTheOnesReadmeDocuments() {
        Set<String> names = ReadmeConfig.envNames();
        // Sanity of the README parsing itself: a few settings the manifests rely on.
        assertTrue(names.containsAll(Set.of("GATEWAY_SPARK_URL", "GATEWAY_SPARK_TOKEN", "GATEWAY_POOL_MAX_SESSIONS",
                "GATEWAY_QUERY_TIMEOUT", "GATEWAY_SPARK_EMBEDDED_ENABLED")), names.toString());
        assertEquals("GATEWAY_POOL_MAX_SESSIONS", ReadmeConfig.envName("gateway.pool.max-sessions"));
    }

    @Test
    void devRunsOneSmallGatewayWithAThrowawayToken() {
        Rendered dev = Rendered.of("overlays/dev");
        Deployment gateway = dev.get(Deployment.class, "spark-connect-gateway");
        assertEquals(1, gateway.getSpec().getReplicas());
        assertEquals("spark-connect-gateway:dev", gateway.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        Secret token = dev.get(Secret.class, "spark-connect-token");
        assertTrue(token.getStringData().get("token").startsWith("dev-"), "the dev token says it is one");
        assertEquals(1, dev.get(HorizontalPodAutoscaler.class, "spark-connect-gateway").getSpec().getMinReplicas());
    }

    @Test
    void productionShipsNoSecretAndRunsSeveralPinnedGateways() {
        Rendered production = Rendered.of("overlays/production");
        assertTrue(production.all(Secret.class).isEmpty(), "production must not ship a Secret");
        Deployment gateway = production.get(Deployment.class, "spark-connect-gateway");
        assertTrue(gateway.getSpec().getReplicas() >= 2, "production runs at least two gateways");
        String image = gateway.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertTrue(image.contains("/") && !image.endsWith(":latest"), "production pulls a pinned image from a registry: " + image);
        var hpa = production.get(HorizontalPodAutoscaler.class, "spark-connect-gateway").getSpec();
        assertTrue(hpa.getMaxReplicas() > hpa.getMinReplicas());
    }

    /** Production adds the shared spool and a second Spark Connect server, spark-connect-b (every object of the first, with -b). */
    @Test
    void devAndProductionRenderTheSameObjectsExceptTheDevSecretsTheSharedSpoolAndTheSecondSparkConnectServer() {
        Set<String> dev = ids(Rendered.of("overlays/dev"));
        Set<String> production = ids(Rendered.of("overlays/production"));
        dev.remove("Secret/spark-connect-token");
        dev.remove("Secret/spark-connect-gateway-api-keys");
        production.remove("PersistentVolumeClaim/" + StatementStoreManifestsTest.SPOOL_CLAIM);
        Set<String> secondServer = new TreeSet<>();
        for (HasMetadata object : Rendered.of("base/spark-connect").objects) {
            secondServer.add(object.getKind() + "/" + object.getMetadata().getName() + "-b");
        }
        assertTrue(production.containsAll(secondServer), "spark-connect-b has every object of spark-connect: " + production);
        production.removeAll(secondServer);
        assertEquals(dev, production);
    }

    @Test
    void theSidecarAppTalksToItsGatewayOnLocalhostAndMayReachSparkConnect() {
        Rendered sidecar = Rendered.of("examples/sidecar");
        Deployment app = sidecar.get(Deployment.class, "sql-report");
        List<Container> containers = app.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(2, containers.size(), "the app and the gateway");
        Container gateway = containers.stream().filter(c -> c.getName().equals("gateway")).findFirst().orElseThrow();
        assertEquals(8080, gateway.getPorts().get(0).getContainerPort());
        List<String> appCommand = new ArrayList<>(nz(containers.get(0).getCommand()));
        appCommand.addAll(nz(containers.get(0).getArgs()));
        assertTrue(String.join(" ", appCommand).contains("http://localhost:8080/v1/sql"));
        assertNull(sidecar.find(Service.class, "sql-report").orElse(null), "a sidecar needs no Service");

        // The base's NetworkPolicy admits this pod to Spark Connect.
        NetworkPolicy policy = Rendered.of("base").get(NetworkPolicy.class, "spark-connect");
        var labels = app.getSpec().getTemplate().getMetadata().getLabels();
        boolean admitted = policy.getSpec().getIngress().stream().anyMatch(rule ->
                nz(rule.getPorts()).stream().anyMatch(p -> Integer.valueOf(15002).equals(p.getPort().getIntVal()))
                        && nz(rule.getFrom()).stream().anyMatch(peer -> Rendered.matches(peer.getPodSelector(), labels)));
        assertTrue(admitted, "the sidecar pod's labels must match the NetworkPolicy's Spark Connect rule");
    }

    /** Structural differences; numbers compare by value (an int 185 equals a long 185). */
    private static void diff(JsonNode expected, JsonNode actual, String path, List<String> out) {
        if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                out.add(path + ": " + expected + " != " + actual);
            }
        } else if (expected.isObject() && actual.isObject()) {
            Set<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (!expected.has(name) || !actual.has(name)) {
                    out.add(path + "/" + name + (expected.has(name) ? " dropped" : " added"));
                } else {
                    diff(expected.get(name), actual.get(name), path + "/" + name, out);
                }
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                diff(expected.get(i), actual.get(i), path + "/" + i, out);
            }
        } else if (!expected.equals(actual)) {
            out.add(path + ": " + expected + " != " + actual);
        }
    }

    private static Set<String> ids(Rendered rendered) {
        return rendered.objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
