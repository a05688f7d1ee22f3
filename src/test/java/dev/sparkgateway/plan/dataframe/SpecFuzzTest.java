package dev.sparkgateway.plan.dataframe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sparkgateway.docs.DocExamples;
import dev.sparkgateway.plan.PlanException;
import dev.sparkgateway.testing.JsonMutation;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * "No spec can make the gateway throw a 500": thousands of mutations of the documented specs
 * (any value swapped for null, numbers, strings, arrays, objects, deep nesting) either translate
 * or fail with a {@link PlanException}, which the API answers with 400, never anything else.
 */
class SpecFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mutatedSpecsTranslateOrFailWithAPointer() throws Exception {
        List<JsonNode> specs = new ArrayList<>();
        for (String body : DocExamples.dataFrameBodies(Path.of("docs", "dataframe-spec.md"))) {
            specs.add(JSON.readTree(body));
        }
        assertTrue(specs.size() > 20, "too few documented specs: " + specs.size());
        Random random = new Random(42);
        int rejected = 0;
        for (int i = 0; i < 5000; i++) {
            JsonNode spec = specs.get(random.nextInt(specs.size())).deepCopy();
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                spec = JsonMutation.mutate(spec, random, () -> randomValue(random), name -> name + "x");
            }
            try {
                DataFrameSpecs.toRelation(spec, "", SpecLimits.DEFAULTS);
            } catch (PlanException e) {
                rejected++;
                assertTrue(e.pointer().isEmpty() || e.pointer().startsWith("/"), e.pointer());
            } catch (RuntimeException | StackOverflowError e) {
                fail("spec " + spec + " threw " + e, e);
            }
        }
        assertTrue(rejected > 1000, "mutations too tame: only " + rejected + " rejected");
    }

    private static JsonNode randomValue(Random random) {
        return switch (random.nextInt(14)) {
            case 0 -> JSON.nullNode();
            case 1 -> JSON.getNodeFactory().numberNode(-1);
            case 2 -> JSON.getNodeFactory().numberNode(1.5);
            case 3 -> JSON.getNodeFactory().numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            case 4 -> JSON.getNodeFactory().textNode("");
            case 5 -> JSON.getNodeFactory().textNode("id");
            case 6 -> JSON.getNodeFactory().booleanNode(random.nextBoolean());
            case 7 -> JSON.createArrayNode();
            case 8 -> JSON.createObjectNode();
            case 9 -> JSON.getNodeFactory().textNode("ARRAY<".repeat(5000) + "INT" + ">".repeat(5000));
            case 10 -> deepArray(900);
            case 11 -> JSON.getNodeFactory().numberNode(Long.MAX_VALUE);
            case 12 -> JSON.createObjectNode().put("source", "x");
            default -> JSON.createObjectNode().set("source", JSON.createObjectNode().put("range", 2));
        };
    }

    private static JsonNode deepArray(int depth) {
        ArrayNode root = JSON.createArrayNode();
        ArrayNode current = root;
        for (int i = 0; i < depth; i++) {
            current = current.addArray();
        }
        return root;
    }
}
