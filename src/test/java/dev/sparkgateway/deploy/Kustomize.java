package dev.sparkgateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Renders a kustomization directory the way {@code kubectl kustomize} does, for the subset of
 * kustomize that k8s/ uses, so the tests need no kustomize binary. Supported fields of
 * kustomization.yaml:
 * <ul>
 *   <li>{@code resources}: YAML files (several documents each) and directories holding their own
 *       kustomization.yaml, rendered recursively (cycles are errors);</li>
 *   <li>{@code patches}: entries {@code {path: file}} or {@code {patch: inline yaml}} holding one
 *       strategic merge patch, applied to the resource with the patch's kind and
 *       metadata.name (see {@link StrategicMerge}); no {@code target:} selectors, no JSON 6902;</li>
 *   <li>{@code namespace}: set on every namespaced resource, and on RoleBinding subjects that name
 *       a ServiceAccount of the same kustomization (as kustomize's name references do);</li>
 *   <li>{@code images}: {@code name} with {@code newName}, {@code newTag} and/or {@code digest},
 *       applied to containers and initContainers of pods and pod templates.</li>
 * </ul>
 * Kustomize's order within one kustomization is kept: resources, then patches, then namespace,
 * then images. Any other field (namePrefix, labels, commonLabels, configMapGenerator,
 * secretGenerator, replicas, components, ...) is an error, so the overlays cannot silently rely
 * on something this renderer would skip. Resource ids (kind, namespace, name) must be unique.
 */
final class Kustomize {

    static final Set<String> SUPPORTED_FIELDS = Set.of("apiVersion", "kind", "resources", "patches", "namespace", "images");
    private static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService");

    private final Deque<Path> building = new ArrayDeque<>();

    private Kustomize() {
    }

    /** The resources the kustomization in {@code dir} produces, in order. */
    static List<ObjectNode> build(Path dir) {
        return new Kustomize().render(dir.toAbsolutePath().normalize());
    }

    static Path kustomizationFile(Path dir) {
        for (String name : FILE_NAMES) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalArgumentException(dir + " has no kustomization.yaml");
    }

    private List<ObjectNode> render(Path dir) {
        if (building.contains(dir)) {
            throw new IllegalArgumentException("kustomization cycle: " + building + " -> " + dir);
        }
        building.push(dir);
        try {
            Path file = kustomizationFile(dir);
            ObjectNode kustomization = Yaml.readOne(file);
            checkFields(kustomization, file);

            List<ObjectNode> resources = new ArrayList<>();
            for (String entry : strings(kustomization, "resources", file)) {
                if (entry.contains("://") || entry.startsWith("github.com/")) {
                    throw new IllegalArgumentException(file + ": remote resource " + entry + " is not supported");
                }
                Path path = dir.resolve(entry).normalize();
                List<ObjectNode> added = Files.isDirectory(path) ? render(path) : readResources(path);
                for (ObjectNode resource : added) {
                    add(resources, resource, file);
                }
            }
            for (JsonNode patch : list(kustomization, "patches", file)) {
                applyPatch(resources, patch, dir, file);
            }
            if (kustomization.hasNonNull("namespace")) {
                String namespace = kustomization.get("namespace").asText();
                for (ObjectNode resource : resources) {
                    if (!CLUSTER_SCOPED.contains(resource.path("kind").asText())) {
                        ((ObjectNode) resource.get("metadata")).put("namespace", namespace);
                    }
                }
                followServiceAccounts(resources);
            }
            for (JsonNode image : list(kustomization, "images", file)) {
                applyImage(resources, image, file);
            }
            return resources;
        } finally {
            building.pop();
        }
    }

    /**
     * Like kustomize's name-reference handling: a (Cluster)RoleBinding subject naming a
     * ServiceAccount of this kustomization gets that ServiceAccount's (new) namespace.
     */
    private static void followServiceAccounts(List<ObjectNode> resources) {
        for (ObjectNode binding : resources) {
            String kind = binding.path("kind").asText();
            if (!kind.equals("RoleBinding") && !kind.equals("ClusterRoleBinding")) {
                continue;
            }
            for (JsonNode subject : binding.path("subjects")) {
                if (!subject.path("kind").asText().equals("ServiceAccount")) {
                    continue;
                }
                for (ObjectNode account : resources) {
                    JsonNode metadata = account.path("metadata");
                    if (account.path("kind").asText().equals("ServiceAccount")
                            && metadata.path("name").asText().equals(subject.path("name").asText())
                            && metadata.hasNonNull("namespace")) {
                        ((ObjectNode) subject).put("namespace", metadata.get("namespace").asText());
                    }
                }
            }
        }
    }

    private static void checkFields(ObjectNode kustomization, Path file) {
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!SUPPORTED_FIELDS.contains(field)) {
                throw new IllegalArgumentException(file + ": kustomization field '" + field
                        + "' is not supported by the test renderer (supported: " + SUPPORTED_FIELDS + ")");
            }
        });
        String apiVersion = kustomization.path("apiVersion").asText("kustomize.config.k8s.io/v1beta1");
        String kind = kustomization.path("kind").asText("Kustomization");
        if (!apiVersion.equals("kustomize.config.k8s.io/v1beta1") || !kind.equals("Kustomization")) {
            throw new IllegalArgumentException(file + ": expected kustomize.config.k8s.io/v1beta1 Kustomization, got "
                    + apiVersion + " " + kind);
        }
    }

    private static List<ObjectNode> readResources(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("resource " + path + " does not exist");
        }
        List<ObjectNode> docs = Yaml.readAll(path);
        for (ObjectNode doc : docs) {
            if (!doc.path("apiVersion").isTextual() || !doc.path("kind").isTextual()
                    || !doc.path("metadata").path("name").isTextual()) {
                throw new IllegalArgumentException(path + ": resource without apiVersion, kind or metadata.name: " + doc);
            }
        }
        return docs;
    }

    private static void add(List<ObjectNode> resources, ObjectNode resource, Path file) {
        for (ObjectNode existing : resources) {
            if (id(existing).equals(id(resource))) {
                throw new IllegalArgumentException(file + ": resource " + id(resource) + " is defined twice");
            }
        }
        resources.add(resource);
    }

    static String id(JsonNode resource) {
        JsonNode metadata = resource.path("metadata");
        return resource.path("kind").asText() + "/" + metadata.path("namespace").asText("") + "/" + metadata.path("name").asText();
    }

    private static void applyPatch(List<ObjectNode> resources, JsonNode entry, Path dir, Path file) {
        if (!entry.isObject()) {
            throw new IllegalArgumentException(file + ": a patches entry must be a mapping with path or patch");
        }
        entry.fieldNames().forEachRemaining(field -> {
            if (!field.equals("path") && !field.equals("patch")) {
                throw new IllegalArgumentException(file + ": patches." + field + " is not supported by the test renderer");
            }
        });
        List<ObjectNode> docs;
        String source;
        if (entry.hasNonNull("path") && !entry.hasNonNull("patch")) {
            Path patchFile = dir.resolve(entry.get("path").asText()).normalize();
            source = patchFile.toString();
            docs = Yaml.readAll(patchFile);
        } else if (entry.hasNonNull("patch") && !entry.hasNonNull("path")) {
            source = file + " (inline patch)";
            docs = Yaml.readAll(entry.get("patch").asText(), source);
        } else {
            throw new IllegalArgumentException(file + ": a patches entry needs exactly one of path and patch");
        }
        if (docs.size() != 1) {
            throw new IllegalArgumentException(source + ": a patch must hold exactly one document");
        }
        ObjectNode patch = docs.get(0);
        String kind = patch.path("kind").asText();
        String name = patch.path("metadata").path("name").asText();
        String namespace = patch.path("metadata").path("namespace").asText(null);
        if (kind.isEmpty() || name.isEmpty() || patch.path("apiVersion").asText().isEmpty()) {
            throw new IllegalArgumentException(source + ": a patch needs apiVersion, kind and metadata.name (no target selectors)");
        }
        ObjectNode target = null;
        for (ObjectNode resource : resources) {
            JsonNode metadata = resource.get("metadata");
            if (resource.path("kind").asText().equals(kind) && metadata.path("name").asText().equals(name)
                    && (namespace == null || namespace.equals(metadata.path("namespace").asText(null)))) {
                if (target != null) {
                    throw new IllegalArgumentException(source + ": patch matches more than one " + kind + " named " + name);
                }
                target = resource;
            }
        }
        if (target == null) {
            throw new IllegalArgumentException(source + ": no " + kind + " named " + name + " to patch");
        }
        if (!target.path("apiVersion").asText().equals(patch.path("apiVersion").asText())) {
            throw new IllegalArgumentException(source + ": patch apiVersion " + patch.path("apiVersion").asText()
                    + " differs from the target's " + target.path("apiVersion").asText());
        }
        StrategicMerge.apply(target, patch);
    }

    private static void applyImage(List<ObjectNode> resources, JsonNode rule, Path file) {
        rule.fieldNames().forEachRemaining(field -> {
            if (!Set.of("name", "newName", "newTag", "digest").contains(field)) {
                throw new IllegalArgumentException(file + ": images." + field + " is not supported by the test renderer");
            }
        });
        if (!rule.hasNonNull("name")) {
            throw new IllegalArgumentException(file + ": an images entry needs a name");
        }
        for (ObjectNode resource : resources) {
            for (ObjectNode podSpec : podSpecs(resource)) {
                for (String field : List.of("containers", "initContainers")) {
                    for (JsonNode container : podSpec.path(field)) {
                        if (container.hasNonNull("image")) {
                            ((ObjectNode) container).put("image", retag(container.get("image").asText(), rule));
                        }
                    }
                }
            }
        }
    }

    /** Pod specs of a Pod, of workloads with a pod template, and of CronJobs. */
    static List<ObjectNode> podSpecs(JsonNode resource) {
        List<ObjectNode> specs = new ArrayList<>();
        String kind = resource.path("kind").asText();
        JsonNode spec = switch (kind) {
            case "Pod" -> resource.path("spec");
            case "CronJob" -> resource.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
            default -> resource.path("spec").path("template").path("spec");
        };
        if (spec.isObject()) {
            specs.add((ObjectNode) spec);
        }
        return specs;
    }

    /** Applies one kustomize image rule to an image reference: name[:tag][@digest]. */
    static String retag(String image, JsonNode rule) {
        String name = image;
        String digest = null;
        String tag = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            digest = name.substring(at + 1);
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            tag = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        if (!name.equals(rule.get("name").asText())) {
            return image;
        }
        String newName = rule.hasNonNull("newName") ? rule.get("newName").asText() : name;
        if (rule.hasNonNull("digest")) {
            return newName + "@" + rule.get("digest").asText();
        }
        if (rule.hasNonNull("newTag")) {
            return newName + ":" + rule.get("newTag").asText();
        }
        return newName + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    private static List<String> strings(ObjectNode kustomization, String field, Path file) {
        List<String> values = new ArrayList<>();
        for (JsonNode node : list(kustomization, field, file)) {
            if (!node.isTextual()) {
                throw new IllegalArgumentException(file + ": " + field + " entries must be strings: " + node);
            }
            values.add(node.asText());
        }
        return values;
    }

    private static Iterable<JsonNode> list(ObjectNode kustomization, String field, Path file) {
        JsonNode node = kustomization.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(file + ": " + field + " must be a list");
        }
        ArrayNode array = (ArrayNode) node;
        List<JsonNode> items = new ArrayList<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            items.add(it.next());
        }
        return items;
    }
}
