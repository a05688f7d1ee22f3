package dev.sparkgateway.plan.dataframe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparkgateway.plan.PlanException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A JSON value and its JSON Pointer, so every validation error can say exactly where it is. */
record At(JsonNode node, String pointer) {

    At child(String name) {
        JsonNode value = node.get(name);
        return new At(value == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : value,
                pointer + "/" + PlanException.token(name));
    }

    At element(int index) {
        return new At(node.get(index), pointer + "/" + index);
    }

    boolean isMissing() {
        return node.isMissingNode() || node.isNull();
    }

    PlanException error(String message) {
        return new PlanException(pointer, message);
    }

    /** Throws unless the value is there and {@code is}: of the JSON type {@code as} names. */
    private void require(String what, boolean is, String as) {
        if (isMissing()) {
            throw error("missing " + what);
        }
        if (!is) {
            throw error("expected " + what + " as " + as + ", got " + describe(node));
        }
    }

    String text(String what) {
        require(what, node.isTextual(), "a string");
        if (node.textValue().isBlank()) {
            throw error(what + " is empty");
        }
        return node.textValue();
    }

    Optional<String> optionalText(String what) {
        return isMissing() ? Optional.empty() : Optional.of(text(what));
    }

    boolean bool(String what) {
        if (isMissing()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw error("expected " + what + " as true or false, got " + describe(node));
        }
        return node.booleanValue();
    }

    long integer(String what, long min, long max) {
        require(what, node.isIntegralNumber() && node.canConvertToLong(), "a whole number");
        long value = node.longValue();
        if (value < min || value > max) {
            throw error(what + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** One string or a non-empty array of strings. */
    List<String> texts(String what) {
        if (node.isTextual()) {
            return List.of(text(what));
        }
        List<At> items = array(what, true);
        List<String> texts = new ArrayList<>();
        for (At item : items) {
            texts.add(item.text(what));
        }
        return texts;
    }

    List<At> array(String what, boolean nonEmpty) {
        require(what, node.isArray(), "an array");
        if (nonEmpty && node.isEmpty()) {
            throw error(what + " needs at least one entry");
        }
        List<At> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            items.add(element(i));
        }
        return items;
    }

    /** An object whose keys must all be among {@code known}. */
    At object(String what, Set<String> known) {
        require(what, node.isObject(), "an object");
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw child(name).error("unknown field '" + name + "' in " + what + "; expected one of " + sorted(known));
            }
        }
        return this;
    }

    /** An object of string values, in the order given; keys are free (column names, options). */
    Map<String, String> stringMap(String what, boolean nonEmpty) {
        if (isMissing() && !nonEmpty) {
            return Map.of();
        }
        require(what, node.isObject(), "an object");
        if (nonEmpty && node.isEmpty()) {
            throw error(what + " needs at least one entry");
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.isBlank()) {
                throw child(name).error("empty name in " + what);
            }
            At value = child(name);
            // Reader options are often numbers or booleans in JSON; Spark takes them as text.
            if (value.node.isValueNode() && !value.node.isNull() && !value.node.isTextual()) {
                entries.put(name, value.node.asText());
            } else {
                entries.put(name, value.text(what + " value"));
            }
        }
        return entries;
    }

    static String sorted(Set<String> names) {
        return String.join(", ", new java.util.TreeSet<>(names));
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        switch (node.getNodeType()) {
            case STRING: return "a string";
            case NUMBER: return "a number";
            case BOOLEAN: return node.booleanValue() ? "true" : "false";
            case ARRAY: return "an array";
            case OBJECT: return "an object";
            case NULL: return "null";
            default: return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
