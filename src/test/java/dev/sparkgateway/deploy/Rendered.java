package dev.sparkgateway.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One kustomization rendered by {@code kubectl kustomize} and read strictly into typed objects. */
final class Rendered {

    /** Repository root (Maven runs the tests there). */
    static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    static final Path K8S = ROOT.resolve("k8s");
    /** Where tools/kubectl/install puts kubectl (what .ci/run does when none is on PATH). */
    private static final Path INSTALLED_KUBECTL = ROOT.resolve("tools/kubectl/bin/kubectl");
    /** Rendered documents per kustomization: each overlay is rendered once per test JVM. */
    private static final Map<Path, List<ObjectNode>> CACHE = new ConcurrentHashMap<>();

    /**
     * Pods an object describes: a Deployment's template, or a pod template file Spark reads from a
     * ConfigMap (a key ending in {@code pod-template.yaml}). {@code workload} is false for the
     * latter: Spark fills in image, resources and command itself.
     */
    record PodTemplate(String owner, Map<String, String> labels, PodSpec spec, boolean workload) {
    }

    final String name;
    final List<ObjectNode> documents;
    final List<HasMetadata> objects = new ArrayList<>();

    private Rendered(String name, List<ObjectNode> documents) {
        this.name = name;
        this.documents = documents;
        for (ObjectNode document : documents) {
            objects.add(KubernetesSchema.parse(document));
        }
    }

    /** Renders {@code k8s/<relative>} once per test JVM; the output is also written to target/k8s-rendered/ for reading. */
    static Rendered of(String relative) {
        Path dir = K8S.resolve(relative);
        List<ObjectNode> documents = CACHE.computeIfAbsent(dir, d -> {
            String yaml = kustomize(d);
            Path out = ROOT.resolve("target/k8s-rendered/" + relative.replace('/', '-') + ".yaml");
            try {
                Files.createDirectories(out.getParent());
                Files.writeString(out, yaml);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Yaml.readAll(yaml, "kubectl kustomize " + relative);
        });
        return new Rendered(relative, documents);
    }

    /** Renders a kustomization anywhere (tests of the rules use temporary ones). */
    static Rendered at(Path dir) {
        return new Rendered(dir.getFileName().toString(), Yaml.readAll(kustomize(dir), "kubectl kustomize " + dir));
    }

    /** {@code kubectl kustomize dir}: the kustomize that kubectl users apply the overlays with. */
    private static String kustomize(Path dir) {
        String kubectl = Files.isExecutable(INSTALLED_KUBECTL) ? INSTALLED_KUBECTL.toString() : "kubectl";
        Process process;
        try {
            process = new ProcessBuilder(kubectl, "kustomize", dir.toString()).start();
        } catch (IOException e) {
            throw new AssertionError("The manifest tests render k8s/ with `kubectl kustomize`, but there is no kubectl"
                    + " (v1.27 or newer) on PATH: run tools/kubectl/install (what .ci/run does) or install kubectl. "
                    + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> text(process.getErrorStream()));
            String out = text(process.getInputStream());
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + dir + " took longer than 2 minutes");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + "): " + err.join());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running kubectl kustomize " + dir, e);
        }
    }

    private static String text(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        List<T> matching = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (type.isInstance(object)) {
                matching.add(type.cast(object));
            }
        }
        return matching;
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String objectName) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(objectName)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String objectName) {
        return find(type, objectName).orElseThrow(() -> new AssertionError(
                name + " renders no " + type.getSimpleName() + " named " + objectName));
    }

    List<PodTemplate> podTemplates() {
        List<PodTemplate> templates = new ArrayList<>();
        for (Deployment deployment : all(Deployment.class)) {
            var template = deployment.getSpec().getTemplate();
            templates.add(new PodTemplate("Deployment/" + deployment.getMetadata().getName(),
                    labels(template.getMetadata() == null ? null : template.getMetadata().getLabels()),
                    template.getSpec(), true));
        }
        for (Pod pod : all(Pod.class)) {
            templates.add(new PodTemplate("Pod/" + pod.getMetadata().getName(), labels(pod.getMetadata().getLabels()),
                    pod.getSpec(), true));
        }
        for (ConfigMap configMap : all(ConfigMap.class)) {
            if (configMap.getData() == null) {
                continue;
            }
            configMap.getData().forEach((key, value) -> {
                if (key.endsWith("pod-template.yaml")) {
                    String owner = "ConfigMap/" + configMap.getMetadata().getName() + "[" + key + "]";
                    List<ObjectNode> docs = Yaml.readAll(value, owner);
                    if (docs.size() != 1) {
                        throw new AssertionError(owner + " must hold one Pod");
                    }
                    Pod pod = KubernetesSchema.parse(docs.get(0), Pod.class);
                    templates.add(new PodTemplate(owner, labels(pod.getMetadata() == null ? null : pod.getMetadata().getLabels()),
                            pod.getSpec(), false));
                }
            });
        }
        return templates;
    }

    List<PodTemplate> podTemplatesSelectedBy(LabelSelector selector) {
        return podTemplates().stream().filter(t -> matches(selector, t.labels())).toList();
    }

    List<PodTemplate> podTemplatesSelectedBy(Map<String, String> selector) {
        return podTemplates().stream().filter(t -> matches(selector, t.labels())).toList();
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    /** Service-style selector: every pair present. An empty selector selects nothing here. */
    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty()
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** LabelSelector semantics (matchLabels and matchExpressions); an empty selector selects all. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchLabels() != null && !selector.getMatchLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                String value = labels.get(requirement.getKey());
                List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
                boolean ok = switch (requirement.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> throw new AssertionError("unknown selector operator " + requirement.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
