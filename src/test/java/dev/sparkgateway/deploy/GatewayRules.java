package dev.sparkgateway.deploy;

import dev.sparkgateway.connect.SparkConnectConfig;
import dev.sparkgateway.statement.StatementConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static dev.sparkgateway.deploy.Env.nz;

/**
 * The gateway's own settings against the pods that run it, part of {@link ManifestRules}: the
 * statement store matches the replicas (memory: one; postgresql: a database from a Secret and a
 * spool directory on one ReadWriteMany claim that holds every replica's share), credentials come
 * from Secrets, and the termination grace period covers every shutdown wait.
 */
final class GatewayRules {

    /** After its waits the JVM still closes the store, the pool and the spool before it exits. */
    static final Duration EXIT_MARGIN = Duration.ofSeconds(5);
    static final List<String> DATASOURCE = List.of(
            "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
    /** Variables holding a credential: never a literal in a manifest. */
    private static final Pattern CREDENTIAL = Pattern.compile("(^|_)(PASSWORD|TOKEN|SECRET|API_KEY)$");
    private static final Pattern PASSWORD_IN_VALUE = Pattern.compile("(?i)password=");

    private final Rendered rendered;
    private final List<String> problems = new ArrayList<>();

    private GatewayRules(Rendered rendered) {
        this.rendered = rendered;
    }

    static List<String> check(Rendered rendered) {
        GatewayRules rules = new GatewayRules(rendered);
        // Also what no container reads (an env entry may override it): a ConfigMap is no place for a credential.
        for (ConfigMap configMap : rendered.all(ConfigMap.class)) {
            String where = "ConfigMap/" + configMap.getMetadata().getName();
            (configMap.getData() == null ? Map.<String, String>of() : configMap.getData()).forEach((key, value) -> {
                if (CREDENTIAL.matcher(key).find()) {
                    rules.problem(where + ": " + key + " is a credential: keep it in a Secret");
                } else if (PASSWORD_IN_VALUE.matcher(value).find()) {
                    rules.problem(where + ": " + key + " holds a password: keep it in a Secret");
                }
            });
        }
        for (Rendered.PodTemplate template : rendered.podTemplates()) {
            for (Container container : nz(template.spec().getContainers())) {
                rules.credentials(template.owner() + " container " + container.getName(), Env.of(container, rendered));
            }
        }
        for (Deployment deployment : rendered.all(Deployment.class)) {
            for (Container container : nz(deployment.getSpec().getTemplate().getSpec().getContainers())) {
                Map<String, Env.Entry> env = Env.of(container, rendered);
                if (env.keySet().stream().anyMatch(name -> name.startsWith("GATEWAY_"))) {
                    rules.gateway(deployment, container, env);
                }
            }
        }
        return rules.problems;
    }

    /** A setting's value in the container, else the gateway's default (read from its @ConfigMapping). */
    static String setting(Map<String, Env.Entry> env, String name, String statementConfigMethod) {
        return setting(env, name, StatementConfig.class, statementConfigMethod);
    }

    /** The value of env var {@code name}, else the default of {@code method} in the {@code @ConfigMapping} {@code config}. */
    static String setting(Map<String, Env.Entry> env, String name, Class<?> config, String method) {
        Env.Entry entry = env.get(name);
        if (entry != null && entry.value() != null) {
            return entry.value();
        }
        try {
            return config.getMethod(method).getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(config.getSimpleName() + " has no " + method, e);
        }
    }

    static Duration duration(Map<String, Env.Entry> env, String name, String statementConfigMethod) {
        return DurationConverter.parseDuration(setting(env, name, statementConfigMethod));
    }

    /** The most replicas a Deployment runs: its autoscaler's maximum when one targets it. */
    static int maxReplicas(Rendered rendered, Deployment deployment) {
        int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        for (HorizontalPodAutoscaler hpa : rendered.all(HorizontalPodAutoscaler.class)) {
            var target = hpa.getSpec().getScaleTargetRef();
            if ("Deployment".equals(target.getKind()) && deployment.getMetadata().getName().equals(target.getName())) {
                replicas = Math.max(replicas, hpa.getSpec().getMaxReplicas());
            }
        }
        return replicas;
    }

    /** Seconds of a preStop hook that sleeps ({@code exec: sleep N} or the {@code sleep} action); 0 otherwise. */
    static Duration preStop(Container container) {
        Lifecycle lifecycle = container.getLifecycle();
        if (lifecycle == null || lifecycle.getPreStop() == null) {
            return Duration.ZERO;
        }
        var hook = lifecycle.getPreStop();
        if (hook.getSleep() != null) {
            return Duration.ofSeconds(hook.getSleep().getSeconds());
        }
        List<String> command = hook.getExec() == null ? List.of() : nz(hook.getExec().getCommand());
        if (command.size() == 2 && command.get(0).endsWith("sleep")) {
            return Duration.ofSeconds(Long.parseLong(command.get(1)));
        }
        return Duration.ZERO;
    }

    private void problem(String message) {
        problems.add(rendered.name + ": " + message);
    }

    private void credentials(String where, Map<String, Env.Entry> env) {
        for (Env.Entry entry : env.values()) {
            if (CREDENTIAL.matcher(entry.name()).find() && !entry.source().startsWith("secret:")) {
                problem(where + ": " + entry.name() + " (from " + entry.source() + ") is a credential: take it from a Secret");
            }
            if (entry.value() != null && PASSWORD_IN_VALUE.matcher(entry.value()).find()) {
                problem(where + ": " + entry.name() + " (from " + entry.source() + ") holds a password: take it from a Secret");
            }
        }
    }

    private void gateway(Deployment deployment, Container container, Map<String, Env.Entry> env) {
        String where = "Deployment/" + deployment.getMetadata().getName() + " container " + container.getName();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        String store = setting(env, "GATEWAY_STATEMENTS_STORE", "store").toLowerCase(Locale.ROOT);
        int replicas = maxReplicas(rendered, deployment);
        Duration statementGrace = Duration.ZERO;
        if (store.equals("postgresql")) {
            for (String name : DATASOURCE) {
                if (!env.containsKey(name)) {
                    problem(where + ": the postgresql statement store needs " + name);
                }
            }
            spool(where, pod, container, env, replicas);
            // Only a shared spool lets running statements finish on shutdown: their results outlive the process.
            statementGrace = duration(env, "GATEWAY_STATEMENTS_SHUTDOWN_GRACE", "shutdownGrace");
        } else if (store.equals("memory")) {
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            Optional<Service> service = rendered.all(Service.class).stream()
                    .filter(s -> Rendered.matches(s.getSpec().getSelector(), labels)).findFirst();
            if (replicas > 1 && service.isPresent()) {
                problem(where + ": the memory statement store holds statements in one process, but up to " + replicas
                        + " replicas serve Service/" + service.get().getMetadata().getName() + " (a poll on another"
                        + " replica gets 404): one replica, or GATEWAY_STATEMENTS_STORE=postgresql");
            }
        } else {
            problem(where + ": GATEWAY_STATEMENTS_STORE " + store + " is neither memory nor postgresql");
        }
        Duration preStop = preStop(container);
        Env.Entry timeoutEntry = env.get("QUARKUS_SHUTDOWN_TIMEOUT");
        Duration shutdownTimeout = timeoutEntry == null || timeoutEntry.value() == null ? Duration.ZERO
                : DurationConverter.parseDuration(timeoutEntry.value());
        // Sessions are released only after the sweeps for jobs orphaned by interrupts (OrphanSweeps).
        Duration sweeps = DurationConverter.parseDuration(setting(env, "GATEWAY_SPARK_SHUTDOWN_SWEEPS", SparkConnectConfig.class,
                "shutdownSweeps"));
        Duration needed = preStop.plus(shutdownTimeout).plus(statementGrace).plus(sweeps).plus(EXIT_MARGIN);
        long grace = pod.getTerminationGracePeriodSeconds() == null ? 30 : pod.getTerminationGracePeriodSeconds();
        if (grace < needed.toSeconds()) {
            problem(where + ": terminationGracePeriodSeconds " + grace + " is less than preStop " + preStop.toSeconds()
                    + "s + QUARKUS_SHUTDOWN_TIMEOUT " + shutdownTimeout.toSeconds() + "s + statement shutdown-grace "
                    + statementGrace.toSeconds() + "s + spark shutdown-sweeps " + sweeps.toSeconds() + "s + "
                    + EXIT_MARGIN.toSeconds() + "s to exit = " + needed.toSeconds()
                    + "s: the kubelet would kill the gateway while it may still wait");
        }
    }

    /** The shared spool: a writable mount of one ReadWriteMany claim large enough for every replica's share. */
    private void spool(String where, PodSpec pod, Container container, Map<String, Env.Entry> env, int replicas) {
        Env.Entry dirEntry = env.get("GATEWAY_STATEMENTS_SPOOL_DIR");
        if (dirEntry == null || dirEntry.value() == null || dirEntry.value().isBlank()) {
            problem(where + ": the postgresql statement store needs GATEWAY_STATEMENTS_SPOOL_DIR on a ReadWriteMany volume");
            return;
        }
        String dir = dirEntry.value();
        VolumeMount mount = nz(container.getVolumeMounts()).stream()
                .filter(m -> dir.equals(m.getMountPath()) || dir.startsWith(m.getMountPath().replaceAll("/$", "") + "/"))
                .max((a, b) -> Integer.compare(a.getMountPath().length(), b.getMountPath().length()))
                .orElse(null);
        if (mount == null) {
            problem(where + ": spool dir " + dir + " is on no volume mount (the container's own filesystem is neither"
                    + " shared nor writable)");
            return;
        }
        if (Boolean.TRUE.equals(mount.getReadOnly())) {
            problem(where + ": spool dir " + dir + " is mounted readOnly");
        }
        Volume volume = nz(pod.getVolumes()).stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElse(null);
        if (volume == null || volume.getPersistentVolumeClaim() == null) {
            problem(where + ": spool dir " + dir + " is on volume " + mount.getName() + ", not a PersistentVolumeClaim"
                    + " every replica mounts (each replica would serve only its own results)");
            return;
        }
        String claimName = volume.getPersistentVolumeClaim().getClaimName();
        if (Boolean.TRUE.equals(volume.getPersistentVolumeClaim().getReadOnly())) {
            problem(where + ": spool claim " + claimName + " is mounted readOnly");
        }
        Optional<PersistentVolumeClaim> claim = rendered.find(PersistentVolumeClaim.class, claimName);
        if (claim.isEmpty()) {
            problem(where + ": spool claim " + claimName + " is not rendered");
            return;
        }
        List<String> modes = nz(claim.get().getSpec().getAccessModes());
        if (!modes.contains("ReadWriteMany")) {
            problem("PersistentVolumeClaim/" + claimName + ": accessModes " + modes + " is not ReadWriteMany: replicas on"
                    + " other nodes cannot mount the spool");
        }
        var resources = claim.get().getSpec().getResources();
        Quantity storage = resources == null || resources.getRequests() == null ? null : resources.getRequests().get("storage");
        long perReplica = new MemorySizeConverter().convert(setting(env, "GATEWAY_STATEMENTS_SPOOL_MAX_SIZE", "spoolMaxSize"))
                .asLongValue();
        BigDecimal needed = BigDecimal.valueOf(perReplica).multiply(BigDecimal.valueOf(replicas));
        if (storage == null) {
            problem("PersistentVolumeClaim/" + claimName + ": no resources.requests.storage");
        } else if (Quantity.getAmountInBytes(storage).compareTo(needed) < 0) {
            problem("PersistentVolumeClaim/" + claimName + ": " + storage + " holds less than up to " + replicas
                    + " replicas x spool-max-size " + perReplica + " bytes");
        }
    }
}
