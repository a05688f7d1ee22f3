package dev.sparkgateway.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /** An Accept header and the media type negotiated for it ("406": none). */
    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            # Missing or blank means JSON.
            NULL                                                      | application/json
            ''                                                        | application/json
            '   '                                                     | application/json
            # Exact types, with parameters.
            application/json; charset=utf-8                           | application/json
            text/csv; header=absent                                   | text/csv
            TEXT/CSV                                                  | text/csv
            application/x-ndjson                                      | application/x-ndjson
            application/vnd.apache.arrow.stream                       | application/vnd.apache.arrow.stream
            # Wildcards.
            */*                                                       | application/json
            *                                                         | application/json
            text/*                                                    | text/csv
            application/*                                             | application/json
            text/html, text/*;q=0.5                                   | text/csv
            # q values decide; an invalid q drops its range.
            text/csv;q=0.5, application/x-ndjson;q=0.9                | application/x-ndjson
            application/json;q=0.1, application/vnd.apache.arrow.stream | application/vnd.apache.arrow.stream
            */*;q=0.1, text/csv                                       | text/csv
            application/json;q=abc, text/csv                          | text/csv
            application/json;q=1.0;ext=1, text/csv;q=0.999            | application/json
            # The most specific range sets an encoder's quality: */* would accept JSON, but the explicit q=0 excludes it.
            */*, application/json;q=0                                 | application/x-ndjson
            application/*;q=0, */*;q=0.2                              | text/csv
            # Ties go to the more specific, then to the first listed.
            text/csv, application/json                                | text/csv
            application/json, text/csv                                | application/json
            */*, application/x-ndjson                                 | application/x-ndjson
            # Nothing acceptable.
            text/html                                                 | 406
            application/json;q=0                                      | 406
            image/*, application/xml                                  | 406
            """)
    void negotiates(String accept, String expected) {
        assertEquals(expected, negotiate(accept));
    }

    @Test
    void nothingAcceptableIsEmpty() {
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

    /** Arrow's codec parameter picks the body compression; other formats ignore it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/vnd.apache.arrow.stream; codec=zstd      | ZSTD",
            "application/vnd.apache.arrow.stream;CODEC=LZ4        | LZ4_FRAME",
            "application/vnd.apache.arrow.stream; codec=none      | -",
            "application/vnd.apache.arrow.stream                  | -",
            "text/csv;q=0.5, application/vnd.apache.arrow.stream;codec=zstd;q=0.9 | ZSTD"})
    void arrowCodecFromTheAcceptedRange(String accept, String codec) {
        ArrowStreamEncoder arrow = (ArrowStreamEncoder) FORMATS.negotiate(accept).orElseThrow();
        assertEquals(codec.equals("-") ? null : codec, arrow.codec() == null ? null : arrow.codec().getCodecType().name());
        assertEquals("arrow", FORMATS.nameOf(arrow), "a variant keeps the format's name for logs and metrics");
        assertTrue(!arrow.compressible(), "Arrow gets no HTTP content coding");
    }

    @Test
    void anUnknownArrowCodecIsRefusedAndOtherFormatsIgnoreTheParameter() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FORMATS.negotiate("application/vnd.apache.arrow.stream; codec=brotli"));
        assertEquals("text/csv", negotiate("text/csv; codec=brotli"));
    }
}
