package dev.sparkgateway.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sparkgateway.testing.JsonMutation;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Request parts for the gateway fuzz test, all drawn from one seeded {@link Random}: mutations of
 * documented bodies, random bytes, huge numbers, deep nesting, long unicode, and odd header values.
 */
final class FuzzInputs {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * A query whose task throws in Spark without an error class: its documented answer is 502
     * spark-internal (without stack text), as InputErrorsTest.sparkInternalErrorsCarryNoStackText shows.
     */
    static final String FAILS_IN_A_SPARK_TASK = "SELECT reflect('java.lang.Integer', 'parseInt', 'x')";

    /** The inputs that gave 5xx before issue #18, each sent as it is now and then. */
    static final List<String> KNOWN_CASES = List.of(
            "SELECT 1 + " + "\u20ac".repeat(600),
            "SELECT * FROM `" + "\u00e9".repeat(1000) + "`",
            "SELECT * FROM t" + "x".repeat(3000),
            "{\"root\": {\"range\": {\"end\": \"5\", \"step\": \"0\"}}}",
            "{\"range\": {\"end\": \"5\"}}",
            "{\"root\": {\"range\": {\"end\": \"5\", \"step\": \"1\", \"numPartitions\": -1}}}",
            "{\"source\": {\"range\": {\"end\": 5, \"step\": 0}}}",
            FAILS_IN_A_SPARK_TASK,
            "SELECT * FROM range(0, 10, 0)",
            "", "null", "[]", "{}", "\"SELECT 1\"", "{\"sql\": null}", "{\"sql\": 1e999}");

    static final List<String> CONTENT_TYPES = List.of("application/json", "text/plain", "text/plain;charset=UTF-8",
            "application/x-www-form-urlencoded", "", " ", "garbage", "/", "a/b/c", ";;;", "application/", "/json",
            "application/xml", "application/octet-stream", "application/json;charset=latin1", "*/*", "text/csv",
            "application/problem+json", "application/json; q=\"", "multipart/form-data; boundary=x");

    static final List<String> ACCEPTS = List.of("application/json", "application/x-ndjson", "text/csv",
            "application/vnd.apache.arrow.stream", "*/*", "", "garbage", "application/xml", "text/*",
            "text/csv;q=0.5, application/json;q=abc", "application/json;q=0", ";;", "*/*;q=2", "application/*");

    private final Random random;

    FuzzInputs(Random random) {
        this.random = random;
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A body derived from a documented one: JSON mutated structurally, text mutated by characters. */
    String mutate(String example) {
        if (chance(0.75)) {
            try {
                JsonNode tree = JSON.readTree(example);
                if (tree != null && tree.isContainerNode()) {
                    int rounds = 1 + random.nextInt(3);
                    for (int i = 0; i < rounds; i++) {
                        tree = JsonMutation.mutate(tree, random, this::value, name -> randomText(12));
                    }
                    return JSON.writeValueAsString(tree);
                }
            } catch (Exception e) {
                // Not JSON: mutate it as text below.
            }
        }
        return mutateText(example);
    }

    /** A JSON value of any kind, often at the edges: huge numbers, long unicode, deep nesting. */
    JsonNode value() {
        return switch (random.nextInt(16)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.numberNode(new BigInteger("9".repeat(1 + random.nextInt(60))));
            case 2 -> NODES.numberNode(pick(List.of(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, 2147483648L, -2147483649L)));
            case 3 -> NODES.numberNode(pick(List.of(1.5, -0.0, 1e308, Double.MIN_VALUE, 1e-300)));
            case 4 -> NODES.textNode(randomText(1 + random.nextInt(40)));
            case 5 -> NODES.textNode(pick(List.of("\u20ac", "\u00e9", "\uD83D\uDE00", "x", "'", "`", "\\", "\u0000"))
                    .repeat(1 + random.nextInt(1200)));
            case 6 -> NODES.booleanNode(random.nextBoolean());
            case 7 -> NODES.objectNode();
            case 8 -> NODES.arrayNode();
            case 9 -> deep(1 + random.nextInt(400));
            case 10 -> NODES.textNode(pick(List.of("SELECT 1", "DROP TABLE nope", "id % 3", "count(*) AS n", "PT1S", "-5",
                    "1e999", "DECIMAL(38,38)", "MAP<STRING,ARRAY<INT>>", "ARRAY<", "json", "parquet", "/etc/hostname")));
            case 11 -> NODES.arrayNode().add(value()).add(value());
            case 12 -> NODES.objectNode().set(randomText(6), value());
            case 13 -> NODES.numberNode(random.nextInt(2000) - 1000);
            default -> NODES.textNode(pick(KNOWN_CASES));
        };
    }

    private static JsonNode deep(int depth) {
        JsonNode node = NODES.numberNode(1);
        for (int i = 0; i < depth; i++) {
            node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
        }
        return node;
    }

    private String mutateText(String text) {
        StringBuilder s = new StringBuilder(text);
        int rounds = 1 + random.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            int at = s.length() == 0 ? 0 : random.nextInt(s.length() + 1);
            switch (random.nextInt(5)) {
                case 0 -> s.setLength(at);
                case 1 -> s.insert(at, randomText(1 + random.nextInt(5)));
                case 2 -> s.insert(at, pick(List.of("{", "}", "[", "]", "\"", ",", ":", "'", "\\", "\u0000", "\u20ac", "9".repeat(400))));
                case 3 -> {
                    if (s.length() > 0) {
                        s.delete(at == s.length() ? at - 1 : at, Math.min(s.length(), at + 1 + random.nextInt(10)));
                    }
                }
                default -> s.insert(at, s.substring(0, Math.min(s.length(), random.nextInt(200))));
            }
        }
        return s.toString();
    }

    /** Printable and unprintable characters from several scripts. */
    String randomText(int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(6);
            s.appendCodePoint(switch (kind) {
                case 0 -> ' ' + random.nextInt(95);
                case 1 -> 0x80 + random.nextInt(0x780);
                case 2 -> 0x4E00 + random.nextInt(0x5000);
                case 3 -> 0x1F600 + random.nextInt(0x50);
                case 4 -> random.nextInt(32);
                default -> 'a' + random.nextInt(26);
            });
        }
        return s.toString();
    }

    byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A header value as raw bytes, possibly with bytes no HTTP client would send (never CR or LF). */
    byte[] oddHeaderBytes() {
        byte[] bytes = randomBytes(1 + random.nextInt(60));
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\r' || bytes[i] == '\n') {
                bytes[i] = (byte) 0xff;
            }
        }
        return bytes;
    }

    /** Query parameters the endpoints take, with odd values now and then. */
    String query() {
        if (chance(0.6)) {
            return "";
        }
        Map<String, List<String>> params = Map.of(
                "format", List.of("json", "ndjson", "csv", "arrow", "parquet", "", "JSON", "%00"),
                "limit", List.of("0", "1", "-1", "10", "99999999999999999999", "abc", "1.5", ""),
                "mode", List.of("simple", "extended", "codegen", "cost", "formatted", "nope", ""));
        StringBuilder q = new StringBuilder("?");
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            if (chance(0.4)) {
                q.append(q.length() > 1 ? "&" : "").append(param.getKey()).append('=').append(pick(param.getValue()));
            }
        }
        return q.length() > 1 ? q.toString() : "";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
