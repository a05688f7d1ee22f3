package dev.sparkgateway.compression;

import static dev.sparkgateway.compression.ContentCoding.GZIP;
import static dev.sparkgateway.compression.ContentCoding.ZSTD;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9110 §12.5.3 negotiation against the server's order zstd, gzip ("-" = identity: no coding). */
class AcceptEncodingTest {

    private static final List<ContentCoding> OFFERED = List.of(ZSTD, GZIP);

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
            "gzip, deflate              | gzip",   // RestAssured's and Java clients' default
            "gzip, deflate, br, zstd    | zstd",   // browsers: equal q, the server's order decides
            "zstd;q=0.5, gzip           | gzip",
            "GZIP;Q=0.8, Zstd;q=0.7     | gzip",   // names and q are case-insensitive
            "x-gzip                     | gzip",
            "*                          | zstd",
            "*;q=0.5, zstd;q=0          | gzip",   // q=0 excludes, * covers the rest
            "zstd;q=0, gzip;q=0         | -",
            "*;q=0                      | -",
            "br                         | -",
            "identity                   | -",
            "gzip;q=0.5, identity       | -",      // identity named with a higher q wins
            "gzip, identity;q=0.5       | gzip",
            "gzip;q=1.0, identity;q=0   | gzip",
            "gzip;q=2, zstd;q=abc       | -",      // malformed elements are skipped
            "gzip;q=0.001               | gzip",
            "' , ;q=1, gzip'            | gzip",
            "''                         | -",      // empty: identity only
            "deflate;q=1, gzip;level=9  | gzip"})  // unknown parameters ignored
    void picksTheCoding(String header, String expected) {
        Optional<ContentCoding> chosen = AcceptEncoding.parse(header).choose(OFFERED);
        assertEquals(expected.equals("-") ? Optional.empty() : Optional.of(ContentCoding.valueOf(expected.toUpperCase())), chosen, header);
    }

    @ParameterizedTest
    @CsvSource({"'gzip, zstd', GZIP", "'zstd;q=0.9, gzip', GZIP", "'zstd', -"})
    void offersOnlyTheConfiguredCodings(String header, String expected) {
        Optional<ContentCoding> chosen = AcceptEncoding.parse(header).choose(List.of(GZIP));
        assertEquals(expected.equals("-") ? Optional.empty() : Optional.of(ContentCoding.valueOf(expected)), chosen);
    }
}
