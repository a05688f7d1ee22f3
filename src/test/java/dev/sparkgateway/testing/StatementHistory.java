package dev.sparkgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history listing ({@code GET /v1/statements}) filtered by submit time and fingerprint, paged:
 * the same checks for any store, through whatever {@link StatementClient} points at (one gateway,
 * or a load balancer over several replicas).
 */
public final class StatementHistory {

    private StatementHistory() {
    }

    /** Submits three statements (two runs of one, one other) and checks what each filter lists. */
    public static void check(StatementClient api, String... headers) {
        // A SQL text of its own per call, so earlier runs of the suite do not match the fingerprint.
        String marker = Long.toString(System.nanoTime());
        String repeated = "{\"sql\": \"SELECT " + marker + " AS run\", \"waitTimeout\": 60}";
        Instant before = Instant.now();
        JsonNode first = api.submit(200, repeated, headers);
        JsonNode other = api.submit(200, "{\"sql\": \"SELECT 'other " + marker + "'\", \"waitTimeout\": 60}", headers);
        JsonNode second = api.submit(200, repeated, headers);
        String fingerprint = first.path("fingerprint").asText();
        assertEquals(16, fingerprint.length(), first.toString());
        assertEquals(fingerprint, second.path("fingerprint").asText(), "the same request, the same fingerprint");
        assertTrue(!fingerprint.equals(other.path("fingerprint").asText()), "another request, another fingerprint");

        assertEquals(List.of(id(second), id(first)), ids(api, "fingerprint=" + fingerprint, headers), "the runs of one statement, newest first");
        assertEquals(List.of(id(second), id(first)), ids(api, "fingerprint=" + fingerprint.substring(0, 12).toUpperCase(), headers),
                "a fingerprint's start, any case");
        assertEquals(List.of(id(second), id(other), id(first)), ids(api, "createdAfter=" + param(before.minusMillis(1)),
                headers).stream().filter(List.of(id(first), id(second), id(other))::contains).toList());
        Instant otherAt = Instant.parse(other.path("createdAt").asText());
        assertEquals(List.of(id(first)), ids(api, "fingerprint=" + fingerprint + "&createdBefore=" + param(otherAt), headers));
        assertEquals(List.of(id(second)), ids(api, "fingerprint=" + fingerprint + "&createdAfter=" + param(otherAt), headers));
        assertEquals(List.of(), ids(api, "fingerprint=" + fingerprint + "&state=FAILED", headers));

        // Paged one at a time, with the filter kept: the same two.
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = StatementClient.json(200, api.send("GET", "/v1/statements?limit=1&fingerprint=" + fingerprint
                    + (token == null ? "" : "&pageToken=" + token), null, headers));
            page.path("statements").forEach(s -> paged.add(s.path("statementId").asText()));
            token = page.hasNonNull("nextPageToken") ? page.path("nextPageToken").asText() : null;
        } while (token != null);
        assertEquals(List.of(id(second), id(first)), paged);

        for (String bad : List.of("createdAfter=yesterday", "createdBefore=2026-13-01T00:00:00Z", "fingerprint=xyz",
                "fingerprint=0123456789abcdef0")) {
            JsonNode problem = StatementClient.json(400, api.send("GET", "/v1/statements?" + bad, null, headers));
            String name = bad.substring(0, bad.indexOf('='));
            assertTrue(problem.path("detail").asText().contains(name), bad + " -> " + problem);
        }
    }

    private static String id(JsonNode statement) {
        return statement.path("statementId").asText();
    }

    private static String param(Instant t) {
        return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    }

    private static List<String> ids(StatementClient api, String query, String... headers) {
        JsonNode page = StatementClient.json(200, api.send("GET", "/v1/statements?limit=500&" + query, null, headers));
        List<String> ids = new ArrayList<>();
        page.path("statements").forEach(s -> ids.add(s.path("statementId").asText()));
        return ids;
    }
}
