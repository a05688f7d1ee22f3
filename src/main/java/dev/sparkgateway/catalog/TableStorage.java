package dev.sparkgateway.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A table's provider and location, which Spark Connect's Catalog relations do not tell: read from
 * {@code DESCRIBE TABLE EXTENDED ... AS JSON} (Spark 4.0), Spark's structured description, never
 * from the text of {@code DESCRIBE}.
 */
record TableStorage(String provider, String location) {

    static final TableStorage NONE = new TableStorage(null, null);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The statement for {@code quotedName}, a name already quoted part by part ({@link Names}). */
    static String describe(String quotedName) {
        return "DESCRIBE TABLE EXTENDED " + quotedName + " AS JSON";
    }

    /** From the one {@code json_metadata} value; {@code withLocation} false leaves the location out. */
    static TableStorage parse(String json, boolean withLocation) {
        try {
            JsonNode node = JSON.readTree(json);
            return new TableStorage(text(node, "provider"), withLocation ? text(node, "location") : null);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Spark's DESCRIBE ... AS JSON answered no JSON", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }
}
