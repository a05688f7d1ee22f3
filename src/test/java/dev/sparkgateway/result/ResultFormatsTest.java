package dev.sparkgateway.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ResultFormatsTest {

    private static final RootAllocator ALLOCATOR = new RootAllocator();
    private static final ResultFormats FORMATS = ResultFormats.standard(ALLOCATOR);

    @AfterAll
    static void close() {
        ALLOCATOR.close();
    }

    private static String negotiate(String accept) {
        return FORMATS.negotiate(accept).map(ResultEncoder::mediaType).orElse("406");
    }

    @Test
    void missingOrBlankAcceptMeansJson() {
        assertEquals("application/json", negotiate(null));
        assertEquals("application/json", negotiate(""));
        assertEquals("application/json", negotiate("   "));
    }

    @Test
    void exactTypesWithParameters() {
        assertEquals("application/json", negotiate("application/json; charset=utf-8"));
        assertEquals("text/csv", negotiate("text/csv; header=absent"));
        assertEquals("text/csv", negotiate("TEXT/CSV"));
        assertEquals("application/x-ndjson", negotiate("application/x-ndjson"));
        assertEquals("application/vnd.apache.arrow.stream", negotiate("application/vnd.apache.arrow.stream"));
    }

    @Test
    void wildcards() {
        assertEquals("application/json", negotiate("*/*"));
        assertEquals("application/json", negotiate("*"));
        assertEquals("text/csv", negotiate("text/*"));
        assertEquals("application/json", negotiate("application/*"));
        assertEquals("text/csv", negotiate("text/html, text/*;q=0.5"));
    }

    @Test
    void qValuesDecide() {
        assertEquals("application/x-ndjson", negotiate("text/csv;q=0.5, application/x-ndjson;q=0.9"));
        assertEquals("application/vnd.apache.arrow.stream",
                negotiate("application/json;q=0.1, application/vnd.apache.arrow.stream"));
        assertEquals("text/csv", negotiate("*/*;q=0.1, text/csv"));
        assertEquals("text/csv", negotiate("application/json;q=abc, text/csv"), "an invalid q drops its range");
        assertEquals("application/json", negotiate("application/json;q=1.0;ext=1, text/csv;q=0.999"));
    }

    @Test
    void theMostSpecificRangeSetsAnEncodersQuality() {
        // */* would accept JSON, but the explicit q=0 excludes it.
        assertEquals("application/x-ndjson", negotiate("*/*, application/json;q=0"));
        assertEquals("text/csv", negotiate("application/*;q=0, */*;q=0.2"));
    }

    @Test
    void tiesGoToTheMoreSpecificThenTheFirstListed() {
        assertEquals("text/csv", negotiate("text/csv, application/json"));
        assertEquals("application/json", negotiate("application/json, text/csv"));
        assertEquals("application/x-ndjson", negotiate("*/*, application/x-ndjson"));
    }

    @Test
    void nothingAcceptableIsEmpty() {
        assertEquals("406", negotiate("text/html"));
        assertEquals("406", negotiate("application/json;q=0"));
        assertEquals("406", negotiate("image/*, application/xml"));
        assertEquals(Optional.empty(), FORMATS.negotiate("*/*;q=0"));
    }

    @Test
    void shortNames() {
        assertEquals("application/json", FORMATS.byName("json").orElseThrow().mediaType());
        assertEquals("application/x-ndjson", FORMATS.byName("NDJSON").orElseThrow().mediaType());
        assertEquals("text/csv", FORMATS.byName(" csv ").orElseThrow().mediaType());
        assertEquals("application/vnd.apache.arrow.stream", FORMATS.byName("arrow").orElseThrow().mediaType());
        assertEquals("text/csv", FORMATS.byName("text/csv").orElseThrow().mediaType());
        assertTrue(FORMATS.byName("xml").isEmpty());
        assertTrue(FORMATS.byName(null).isEmpty());
    }

    @Test
    void listsWhatIsOffered() {
        assertEquals(List.of("application/json", "application/x-ndjson", "text/csv", "application/vnd.apache.arrow.stream"),
                FORMATS.mediaTypes());
        assertEquals(List.of("json", "ndjson", "csv", "arrow"), FORMATS.names());
        assertTrue(FORMATS.defaultEncoder() instanceof JsonEncoder);
    }
}
