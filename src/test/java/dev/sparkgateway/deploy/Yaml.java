package dev.sparkgateway.deploy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** YAML documents as Jackson trees; duplicate keys are errors, as they are for kubectl. */
final class Yaml {

    static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build()).build();

    private Yaml() {
    }

    /** Every non-empty document of a (multi-document) YAML text; each must be a mapping. */
    static List<ObjectNode> readAll(String yaml, String source) {
        List<ObjectNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (!doc.isObject()) {
                    throw new IllegalArgumentException(source + ": a document is not a mapping: " + doc);
                }
                documents.add((ObjectNode) doc);
            }
        } catch (IOException | RuntimeException e) {
            // MappingIterator reports parse errors (duplicate keys included) as RuntimeExceptions.
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException(source + ": invalid YAML: " + e.getMessage(), e);
        }
        return documents;
    }
}
