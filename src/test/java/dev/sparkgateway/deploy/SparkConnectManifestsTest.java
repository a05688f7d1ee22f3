package dev.sparkgateway.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.sparkgateway.deploy.Env.nz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark Connect server as deployed: the Spark settings the driver really starts with
 * (spark-defaults.conf from its ConfigMap, overridden by --conf arguments after $(VAR)
 * expansion) agree with the Services, ports, RBAC, executor pod template and NetworkPolicy.
 */
class SparkConnectManifestsTest {

    static final String SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer";

    /** The driver, its container, and its effective Spark configuration. */
    record Driver(Rendered rendered, Deployment deployment, Container container, Map<String, String> conf, Map<String, String> env) {
        Map<String, String> podLabels() {
            return deployment.getSpec().getTemplate().getMetadata().getLabels();
        }
    }

    private static final String EXECUTOR_LABEL = "spark.kubernetes.executor.label.";

    /** {@code overlay}, or {@code overlay#deployment} for a driver other than spark-connect. */
    static Driver driver(String overlay) throws IOException {
        String[] parts = overlay.split("#", 2);
        Rendered rendered = Rendered.of(parts[0]);
        Deployment deployment = rendered.get(Deployment.class, parts.length > 1 ? parts[1] : "spark-connect");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

        // Values the kubelet substitutes for $(VAR): literals, ConfigMap values and field references.
        Map<String, String> env = new HashMap<>();
        Env.of(container, rendered).forEach((name, entry) -> {
            if (entry.value() != null) {
                env.put(name, entry.value());
            } else if (entry.source().equals("fieldRef:metadata.namespace")) {
                env.put(name, deployment.getMetadata().getNamespace());
            } else if (entry.source().equals("fieldRef:metadata.name")) {
                env.put(name, "spark-connect-pod");
            } else if (entry.source().equals("fieldRef:spec.serviceAccountName")) {
                env.put(name, pod.getServiceAccountName());
            } else if (entry.source().startsWith("fieldRef:metadata.labels['")) {
                String label = entry.source().substring("fieldRef:metadata.labels['".length(), entry.source().length() - 2);
                assertTrue(podLabels.containsKey(label), name + " reads the pod label " + label + ", which the pod lacks");
                env.put(name, podLabels.get(label));
            }
        });

        Map<String, String> conf = new LinkedHashMap<>();
        String confDir = env.get("SPARK_CONF_DIR");
        assertNotNull(confDir, "SPARK_CONF_DIR points Spark at the mounted configuration");
        VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(confDir)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at SPARK_CONF_DIR " + confDir));
        String configMapName = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseThrow().getConfigMap().getName();
        ConfigMap files = rendered.get(ConfigMap.class, configMapName);
        Properties defaults = new Properties();
        defaults.load(new StringReader(files.getData().get("spark-defaults.conf")));
        defaults.stringPropertyNames().forEach(key -> conf.put(key, defaults.getProperty(key).trim()));

        List<String> args = nz(container.getArgs()).stream().map(arg -> Env.expand(arg, env)).toList();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--conf" -> {
                    String[] kv = args.get(++i).split("=", 2);
                    conf.put(kv[0], kv[1]);
                }
                case "--class" -> conf.put("(main class)", args.get(++i));
                case "--driver-memory" -> conf.put("spark.driver.memory", args.get(++i));
                case "--name" -> conf.put("spark.app.name", args.get(++i));
                default -> {
                }
            }
        }
        conf.put("(command)", String.join(" ", args));
        return new Driver(rendered, deployment, container, conf, env);
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production", "overlays/production#spark-connect-b"})
    void oneDriverRunsTheConnectServerOfTheSparkVersionTheGatewayIsBuiltFor(String overlay) throws IOException {
        Driver driver = driver(overlay);
        assertEquals(1, driver.deployment().getSpec().getReplicas());
        assertEquals("Recreate", driver.deployment().getSpec().getStrategy().getType(), "never two drivers at once");
        assertEquals("apache/spark:" + pomProperty("spark.version"), driver.container().getImage());
        assertEquals(SERVER_CLASS, driver.conf().get("(main class)"));
        assertTrue(driver.conf().get("(command)").contains("/opt/spark/bin/spark-submit --class " + SERVER_CLASS),
                driver.conf().get("(command)"));
        assertEquals("k8s://https://kubernetes.default.svc", driver.conf().get("spark.master"));
        assertEquals("client", driver.conf().get("spark.submit.deployMode"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production", "overlays/production#spark-connect-b"})
    void theConnectPortIsTheServicePortAndIsProbed(String overlay) throws IOException {
        Driver driver = driver(overlay);
        int port = Integer.parseInt(driver.conf().get("spark.connect.grpc.binding.port"));
        assertEquals(15002, port);
        assertTrue(ManifestRules.declares(driver.container(), new IntOrString(port)));
        Service service = driver.rendered().all(Service.class).stream()
                .filter(s -> !"None".equals(s.getSpec().getClusterIP()))
                .filter(s -> Rendered.matches(s.getSpec().getSelector(), driver.podLabels()))
                .findFirst().orElseThrow(() -> new AssertionError("no Service leads to " + driver.deployment().getMetadata().getName()));
        assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == port));
        for (var probe : List.of(driver.container().getReadinessProbe(), driver.container().getLivenessProbe(),
                driver.container().getStartupProbe())) {
            assertNotNull(probe.getTcpSocket(), "tcp probes on the Connect port");
            IntOrString probed = probe.getTcpSocket().getPort();
            int probedPort = probed.getIntVal() != null ? probed.getIntVal() : driver.container().getPorts().stream()
                    .filter(p -> p.getName().equals(probed.getStrVal())).findFirst().orElseThrow().getContainerPort();
            assertEquals(port, probedPort);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production", "overlays/production#spark-connect-b"})
    void executorsReachTheDriverThroughTheHeadlessServiceOnFixedPorts(String overlay) throws IOException {
        Driver driver = driver(overlay);
        String namespace = driver.deployment().getMetadata().getNamespace();
        String host = driver.conf().get("spark.driver.host");
        String serviceName = host.split("\\.")[0];
        assertEquals(serviceName + "." + namespace + ".svc", host);
        Service headless = driver.rendered().get(Service.class, serviceName);
        assertEquals("None", headless.getSpec().getClusterIP());
        assertEquals(Boolean.TRUE, headless.getSpec().getPublishNotReadyAddresses(),
                "executors register before the driver is ready");
        assertTrue(Rendered.matches(headless.getSpec().getSelector(),
                driver.deployment().getSpec().getTemplate().getMetadata().getLabels()));
        assertEquals("0.0.0.0", driver.conf().get("spark.driver.bindAddress"));
        for (String key : List.of("spark.driver.port", "spark.driver.blockManager.port")) {
            int port = Integer.parseInt(driver.conf().get(key));
            assertTrue(headless.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == port), key + " on " + serviceName);
            assertTrue(ManifestRules.declares(driver.container(), new IntOrString(port)), key + " is a containerPort");
        }
        assertEquals(namespace, driver.conf().get("spark.kubernetes.namespace"));
        assertEquals("spark-connect-pod", driver.conf().get("spark.kubernetes.driver.pod.name"),
                "the driver pod owns its executors, so they go when it goes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production", "overlays/production#spark-connect-b"})
    void theDriverMayManageExecutorPodsWithItsServiceAccount(String overlay) throws IOException {
        Driver driver = driver(overlay);
        String account = driver.deployment().getSpec().getTemplate().getSpec().getServiceAccountName();
        assertEquals(account, driver.conf().get("spark.kubernetes.authenticate.driver.serviceAccountName"));
        RoleBinding binding = driver.rendered().all(RoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(account)))
                .findFirst().orElseThrow(() -> new AssertionError("no RoleBinding for " + account));
        Role role = driver.rendered().get(Role.class, binding.getRoleRef().getName());
        for (String resource : List.of("pods", "services", "configmaps", "persistentvolumeclaims")) {
            for (String verb : List.of("create", "get", "list", "watch", "delete", "deletecollection", "patch")) {
                assertTrue(role.getRules().stream().anyMatch(r -> allows(r, resource, verb)), verb + " " + resource);
            }
        }
    }

    private static boolean allows(PolicyRule rule, String resource, String verb) {
        return rule.getApiGroups().contains("") && rule.getResources().contains(resource) && rule.getVerbs().contains(verb);
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production", "overlays/production#spark-connect-b"})
    void executorsScaleDynamicallyWithinTheConfiguredBoundsOnTheDriversImage(String overlay) throws IOException {
        Map<String, String> conf = driver(overlay).conf();
        assertEquals("true", conf.get("spark.dynamicAllocation.enabled"));
        assertEquals("true", conf.get("spark.dynamicAllocation.shuffleTracking.enabled"),
                "no external shuffle service on Kubernetes");
        int min = Integer.parseInt(conf.get("spark.dynamicAllocation.minExecutors"));
        int max = Integer.parseInt(conf.get("spark.dynamicAllocation.maxExecutors"));
        assertTrue(0 <= min && min <= max && max >= 1, min + ".." + max);
        assertTrue(Integer.parseInt(conf.get("spark.executor.cores")) >= 1);
        assertTrue(jvmBytes(conf.get("spark.executor.memory")) > 0);
        assertTrue(Integer.parseInt(conf.get("spark.sql.shuffle.partitions")) >= 1);
        assertEquals(driver(overlay).container().getImage(), conf.get("spark.kubernetes.container.image"),
                "executors must run the driver's Spark build");
        conf.forEach((key, value) -> assertTrue(!value.contains("$("), key + "=" + value + " was not expanded"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production", "overlays/production#spark-connect-b"})
    void theDriverHeapLeavesHeadroomUnderTheContainerLimit(String overlay) throws IOException {
        Driver driver = driver(overlay);
        long heap = jvmBytes(driver.conf().get("spark.driver.memory"));
        Quantity limit = driver.container().getResources().getLimits().get("memory");
        long limitBytes = Quantity.getAmountInBytes(limit).longValueExact();
        assertTrue(heap + 512L * 1024 * 1024 <= limitBytes,
                "driver heap " + driver.conf().get("spark.driver.memory") + " needs 512Mi of headroom under the " + limit + " limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production", "overlays/production#spark-connect-b"})
    void executorPodsComeFromTheMountedTemplateWithTheLabelsThePolicyExpects(String overlay) throws IOException {
        Driver driver = driver(overlay);
        String file = driver.conf().get("spark.kubernetes.executor.podTemplateFile");
        String confDir = driver.env().get("SPARK_CONF_DIR");
        assertTrue(file.startsWith(confDir + "/"), file + " lies in the mounted " + confDir);
        String key = file.substring(confDir.length() + 1);
        Rendered.PodTemplate executor = driver.rendered().podTemplates().stream()
                .filter(t -> t.owner().endsWith("[" + key + "]")).findFirst()
                .orElseThrow(() -> new AssertionError("no executor pod template " + key + " in a ConfigMap"));
        assertEquals(driver.conf().get("spark.kubernetes.executor.podTemplateContainerName"),
                executor.spec().getContainers().get(0).getName());
        // Spark adds spark.kubernetes.executor.label.* to the template's labels, overriding them.
        Map<String, String> executorLabels = new HashMap<>(executor.labels());
        driver.conf().forEach((name, value) -> {
            if (name.startsWith(EXECUTOR_LABEL)) {
                executorLabels.put(name.substring(EXECUTOR_LABEL.length()), value);
            }
        });
        assertEquals("executor", executorLabels.get("app.kubernetes.io/component"));

        Map<String, String> driverLabels = driver.podLabels();
        NetworkPolicy policy = driver.rendered().all(NetworkPolicy.class).stream()
                .filter(p -> Rendered.matches(p.getSpec().getPodSelector(), driverLabels)).findFirst()
                .orElseThrow(() -> new AssertionError("no NetworkPolicy covers " + driver.deployment().getMetadata().getName()));
        for (NetworkPolicy other : driver.rendered().all(NetworkPolicy.class)) {
            if (other != policy) {
                assertTrue(!Rendered.matches(other.getSpec().getPodSelector(), executorLabels),
                        "executors of " + driver.deployment().getMetadata().getName() + " are also covered by " + other.getMetadata().getName());
            }
        }
        assertTrue(Rendered.matches(policy.getSpec().getPodSelector(), executorLabels), "the policy covers executors");
        assertTrue(Rendered.matches(policy.getSpec().getPodSelector(), driverLabels), "the policy covers the driver");
        Set<Integer> sparkPorts = new TreeSet<>(List.of(Integer.parseInt(driver.conf().get("spark.driver.port")),
                Integer.parseInt(driver.conf().get("spark.blockManager.port")),
                Integer.parseInt(driver.conf().get("spark.driver.blockManager.port"))));
        for (int port : sparkPorts) {
            assertTrue(admits(policy, driverLabels, executorLabels, port), "executor -> driver on " + port);
            assertTrue(admits(policy, executorLabels, driverLabels, port), "driver -> executor on " + port);
            assertTrue(admits(policy, executorLabels, executorLabels, port), "executor -> executor on " + port);
            Map<String, String> otherServers = new HashMap<>(executorLabels);
            otherServers.put("app.kubernetes.io/instance", "another-spark-connect");
            assertTrue(!admits(policy, driverLabels, otherServers, port), "another server's executor -> driver on " + port);
        }
        // Spark Connect itself: only from the gateway, not from executors or anything else.
        int connect = Integer.parseInt(driver.conf().get("spark.connect.grpc.binding.port"));
        Map<String, String> gatewayLabels = driver.rendered().get(Deployment.class, "spark-connect-gateway")
                .getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(admits(policy, driverLabels, gatewayLabels, connect), "gateway -> Spark Connect");
        assertTrue(!admits(policy, driverLabels, executorLabels, connect), "executors have no business on " + connect);
        assertTrue(!admits(policy, driverLabels, Map.of("app.kubernetes.io/name", "other"), connect), "others are kept out");
    }

    /** Whether the policy lets a pod labelled {@code from} reach a selected pod labelled {@code to} on a TCP port. */
    private static boolean admits(NetworkPolicy policy, Map<String, String> to, Map<String, String> from, int port) {
        if (!Rendered.matches(policy.getSpec().getPodSelector(), to)) {
            return true;
        }
        return policy.getSpec().getIngress().stream().anyMatch(rule ->
                (nz(rule.getFrom()).isEmpty() || rule.getFrom().stream().anyMatch(peer -> Rendered.matches(peer.getPodSelector(), from)))
                        && (nz(rule.getPorts()).isEmpty() || rule.getPorts().stream().anyMatch(p ->
                        Integer.valueOf(port).equals(p.getPort().getIntVal()))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production", "overlays/production#spark-connect-b"})
    void sparkAndTheGatewayShareOneTokenSecret(String overlay) throws IOException {
        Driver driver = driver(overlay);
        Map<String, Env.Entry> sparkEnv = Env.of(driver.container(), driver.rendered());
        Container gateway = driver.rendered().get(Deployment.class, "spark-connect-gateway")
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(sparkEnv.get("SPARK_CONNECT_AUTHENTICATE_TOKEN").source(),
                Env.of(gateway, driver.rendered()).get("GATEWAY_SPARK_TOKEN").source());
    }

    /**
     * The driver loads the gateway's SQL policy extension from the jar an initContainer copied out
     * of the gateway image (where Dockerfile.jvm put it) into a volume on the driver's classpath.
     */
    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/production", "overlays/production#spark-connect-b"})
    void theDriverLoadsTheSqlPolicyExtensionFromTheGatewayImage(String overlay) throws IOException {
        Driver driver = driver(overlay);
        assertEquals("dev.sparkgateway.policy.GatewayPolicyExtensions", driver.conf().get("spark.sql.extensions"));
        String jar = driver.conf().get("spark.driver.extraClassPath");
        assertNotNull(jar, "the jar is on the driver's classpath");
        PodSpec pod = driver.deployment().getSpec().getTemplate().getSpec();
        Container init = nz(pod.getInitContainers()).stream().filter(c -> c.getName().equals("policy-extension")).findFirst()
                .orElseThrow(() -> new AssertionError("no policy-extension initContainer"));
        String gatewayImage = driver.rendered().get(Deployment.class, "spark-connect-gateway")
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        assertEquals(gatewayImage, init.getImage(), "the jar comes from the gateway image of the same build");
        assertEquals(List.of("cp", DockerfileTest.POLICY_JAR_IN_IMAGE, jar), init.getCommand());
        VolumeMount target = init.getVolumeMounts().stream().filter(m -> jar.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError("the initContainer copies into no mounted volume: " + jar));
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals(target.getName()) && v.getEmptyDir() != null),
                "an emptyDir carries the jar from the initContainer to the driver");
        assertTrue(driver.container().getVolumeMounts().stream().anyMatch(m -> m.getName().equals(target.getName())
                && m.getMountPath().equals(target.getMountPath())), "the driver mounts it where extraClassPath points");
    }

    /** Spark's JVM memory strings: 512m, 2g, 1024k, plain bytes. */
    static long jvmBytes(String value) {
        Matcher m = Pattern.compile("(\\d+)([kmgt]?)b?").matcher(value.toLowerCase(Locale.ROOT));
        assertTrue(m.matches(), "not a JVM memory size: " + value);
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        return BigInteger.valueOf(Long.parseLong(m.group(1))).shiftLeft(shift).longValueExact();
    }

    static String pomProperty(String name) throws IOException {
        String pom = Files.readString(Rendered.ROOT.resolve("pom.xml"));
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
        assertTrue(m.find(), name + " in pom.xml");
        return m.group(1).trim();
    }
}
