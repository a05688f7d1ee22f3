package dev.sparkgateway.deploy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** YAML documents as Jackson trees; duplicate keys are errors, as they are for kubectl. */
final class Yaml {

    static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            // Strings stay quoted on output, so "15002" or "true" never turn into a number or a boolean.
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    private Yaml() {
    }

    /** Every non-empty document of a (multi-document) YAML file; each must be a mapping. */
    static List<ObjectNode> readAll(Path file) {
        try {
            return readAll(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

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

    /** The single document of a file (kustomization.yaml, a patch). */
    static ObjectNode readOne(Path file) {
        List<ObjectNode> docs = readAll(file);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(file + ": expected exactly one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    /** Documents joined with {@code ---}, as {@code kustomize build} prints them. */
    static String dump(List<? extends JsonNode> documents) {
        StringBuilder out = new StringBuilder();
        for (JsonNode doc : documents) {
            if (out.length() > 0) {
                out.append("---\n");
            }
            try {
                out.append(MAPPER.writeValueAsString(doc));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }
}
