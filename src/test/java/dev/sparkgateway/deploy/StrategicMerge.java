package dev.sparkgateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * The subset of Kubernetes' strategic merge patch that the k8s/ overlays use:
 * <ul>
 *   <li>mappings merge recursively; a {@code null} value deletes the key;</li>
 *   <li>lists of the fields below merge item by item on their merge key (a patch item updates
 *       the item with the same key, or is appended): {@code containers}, {@code initContainers},
 *       {@code ephemeralContainers}, {@code volumes}, {@code env}, {@code imagePullSecrets}
 *       (key {@code name}), {@code volumeMounts} ({@code mountPath}), {@code ports}
 *       ({@code containerPort} in containers, {@code port} in Services);</li>
 *   <li>every other list, and every scalar, replaces the target's value, as the API server does
 *       for fields without a patch strategy ({@code args}, {@code command}, ...).</li>
 * </ul>
 * Directives ({@code $patch}, {@code $setElementOrder/...}, {@code $retainKeys},
 * {@code $deleteFromPrimitiveList/...}) are rejected rather than ignored.
 */
final class StrategicMerge {

    private static final Map<String, String> NAME_KEYED = Map.of(
            "containers", "name",
            "initContainers", "name",
            "ephemeralContainers", "name",
            "volumes", "name",
            "env", "name",
            "imagePullSecrets", "name",
            "volumeMounts", "mountPath");

    private StrategicMerge() {
    }

    /** Applies {@code patch} to {@code target} in place. */
    static void apply(ObjectNode target, ObjectNode patch) {
        mergeObject(target, patch, "");
    }

    private static void mergeObject(ObjectNode target, ObjectNode patch, String path) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            String at = path + "/" + name;
            if (name.startsWith("$")) {
                throw new IllegalArgumentException("strategic merge directive " + at + " is not supported by this renderer");
            }
            JsonNode current = target.get(name);
            if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject() && current != null && current.isObject()) {
                mergeObject((ObjectNode) current, (ObjectNode) value, at);
            } else if (value.isArray() && current != null && current.isArray() && mergeKey(name, (ArrayNode) value) != null) {
                mergeList((ArrayNode) current, (ArrayNode) value, mergeKey(name, (ArrayNode) value), at);
            } else {
                target.set(name, value.deepCopy());
            }
        }
    }

    private static String mergeKey(String field, ArrayNode patchItems) {
        if (field.equals("ports")) {
            for (JsonNode item : patchItems) {
                if (item.has("containerPort")) {
                    return "containerPort";
                }
            }
            return "port";
        }
        return NAME_KEYED.get(field);
    }

    private static void mergeList(ArrayNode target, ArrayNode patch, String key, String path) {
        for (JsonNode item : patch) {
            if (!item.isObject() || !item.hasNonNull(key)) {
                throw new IllegalArgumentException("patch item of " + path + " has no merge key '" + key + "': " + item);
            }
            ObjectNode existing = null;
            for (JsonNode candidate : target) {
                if (candidate.isObject() && item.get(key).equals(candidate.get(key))) {
                    existing = (ObjectNode) candidate;
                    break;
                }
            }
            if (existing == null) {
                target.add(item.deepCopy());
            } else {
                mergeObject(existing, (ObjectNode) item, path + "[" + key + "=" + item.get(key).asText() + "]");
            }
        }
    }
}
