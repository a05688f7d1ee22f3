package dev.sparkgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** One structural mutation of a JSON tree, for fuzz tests: in a random object or array, a member removed, added or replaced. */
public final class JsonMutation {

    private JsonMutation() {
    }

    /**
     * Mutates {@code root} in place (and returns it): new values come from {@code values}, the name of an added
     * field from {@code newName} applied to an existing one.
     */
    public static JsonNode mutate(JsonNode root, Random random, Supplier<JsonNode> values, UnaryOperator<String> newName) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode object && object.size() > 0) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(4)) {
                case 0 -> object.remove(name);
                case 1 -> object.set(newName.apply(name), values.get());
                default -> object.set(name, values.get());
            }
        } else if (target instanceof ArrayNode array && array.size() > 0) {
            int index = random.nextInt(array.size());
            if (random.nextDouble() < 0.3) {
                array.remove(index);
            } else {
                array.set(index, values.get());
            }
        } else if (target instanceof ArrayNode array) {
            array.add(values.get());
        }
        return root;
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.forEach(child -> collect(child, into));
        }
    }
}
