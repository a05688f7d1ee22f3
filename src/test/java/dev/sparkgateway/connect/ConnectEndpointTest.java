package dev.sparkgateway.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectEndpointTest {

    @Test
    void theDefaultPortIsSparkConnects() {
        assertEquals(15002, ConnectEndpoint.DEFAULT_PORT);
    }

    /** Without a port the default one; parameter keys are case-insensitive and values trimmed. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "sc://spark-master                                    | spark-master | 15002 | false | -   | -",
            "sc://spark-master:1234                               | spark-master | 1234  | false | -   | -",
            "sc://host:1234/                                      | host         | 1234  | false | -   | -",
            "sc://host:1234/;token=abc;use_ssl=true;user_id=bob   | host         | 1234  | true  | abc | bob",
            "sc://host/;TOKEN= abc ;Use_Ssl=TRUE;;                | host         | 15002 | true  | abc | -"})
    void parsesHostPortAndParameters(String url, String host, int port, boolean useSsl, String token, String userId) {
        ConnectEndpoint e = ConnectEndpoint.parse(url);
        assertEquals(host, e.host());
        assertEquals(port, e.port());
        assertEquals(useSsl, e.useSsl());
        assertEquals(Optional.ofNullable(token), e.token());
        assertEquals(Optional.ofNullable(userId), e.userId());
    }

    @Test
    void tokenMayContainEqualsSigns() {
        assertEquals(Optional.of("YWJj=="), ConnectEndpoint.parse("sc://host/;token=YWJj==").token());
    }

    @Test
    void useSslOtherThanTrueIsFalse() {
        assertFalse(ConnectEndpoint.parse("sc://host/;use_ssl=yes").useSsl());
        assertFalse(ConnectEndpoint.parse("sc://host/;use_ssl=false").useSsl());
    }

    @Test
    void displayHidesTheToken() {
        ConnectEndpoint e = ConnectEndpoint.parse("sc://host:1234/;token=s3cret;use_ssl=true;user_id=bob");
        assertEquals("sc://host:1234/;use_ssl=true", e.display());
        assertFalse(e.display().contains("s3cret"));
        assertFalse(e.toString().isEmpty());
    }

    @Test
    void displayWithoutSsl() {
        assertEquals("sc://host:15002", ConnectEndpoint.parse("sc://host/;token=abc").display());
    }

    @Test
    void ipv4AndLocalhost() {
        ConnectEndpoint ip = ConnectEndpoint.parse("sc://10.0.0.7:15003");
        assertEquals("10.0.0.7", ip.host());
        assertEquals(15003, ip.port());
        ConnectEndpoint local = ConnectEndpoint.parse("sc://localhost");
        assertEquals("localhost", local.host());
        assertEquals(15002, local.port());
    }

    @Test
    void local() {
        ConnectEndpoint e = ConnectEndpoint.local(15099);
        assertEquals("127.0.0.1", e.host());
        assertEquals(15099, e.port());
        assertFalse(e.useSsl());
        assertEquals("sc://127.0.0.1:15099", e.display());
    }

    @Test
    void portBoundaries() {
        assertEquals(1, ConnectEndpoint.parse("sc://host:1").port());
        assertEquals(65535, ConnectEndpoint.parse("sc://host:65535").port());
        assertThrows(IllegalArgumentException.class, () -> ConnectEndpoint.parse("sc://host:65536"));
        assertThrows(IllegalArgumentException.class, () -> ConnectEndpoint.parse("sc://host:0"));
    }

    @ParameterizedTest(name = "''{0}''")
    @NullSource
    @ValueSource(strings = {
            "http://x",
            "x:15002",
            "SC://host",
            "sc://",
            "sc://:15002",
            "sc://host:99999",
            "sc://host:abc",
            "sc://host/path",
            "sc://host/;novalue",
            "sc://host/;=value"})
    void invalidUrlsAreRejected(String url) {
        assertThrows(IllegalArgumentException.class, () -> ConnectEndpoint.parse(url));
    }

    @Test
    void errorMessagesNameTheProblem() {
        assertTrue(message("http://x").startsWith("Spark Connect URL must start with sc://"), message("http://x"));
        assertEquals("Spark Connect port out of range: 99999", message("sc://host:99999"));
        assertTrue(message("sc://host/path").contains("path must be empty or start with ';'"), message("sc://host/path"));
        assertEquals("Spark Connect URL parameter is not key=value: 'novalue'", message("sc://host/;novalue"));
    }

    @Test
    void constructorValidatesToo() {
        assertThrows(IllegalArgumentException.class,
                () -> new ConnectEndpoint(" ", 15002, false, Optional.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> new ConnectEndpoint("host", -1, false, Optional.empty(), Optional.empty()));
    }

    /** Parameter keys are lower-cased with the default locale: under tr_TR "USER_ID" becomes "user_ıd" and is ignored. */
    @Test
    void parameterKeysDoNotDependOnTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertEquals(Optional.of("bob"), ConnectEndpoint.parse("sc://host/;USER_ID=bob").userId());
        } finally {
            Locale.setDefault(saved);
        }
    }

    private static String message(String url) {
        return assertThrows(IllegalArgumentException.class, () -> ConnectEndpoint.parse(url)).getMessage();
    }
}
