package dev.sparkgateway.observe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTextTest {

    @Test
    void aNewlineCannotStartAForgedLine() {
        String forged = "`\n2026-12-01T00:00:00Z INFO  [de.sp.request] request=forged status=200`";
        String escaped = LogText.escape(forged);
        assertFalse(escaped.contains("\n"), escaped);
        assertEquals("`\\n2026-12-01T00:00:00Z INFO  [de.sp.request] request=forged status=200`", escaped);
    }

    @Test
    void everyControlCharacterIsVisibleAndBackslashesStayUnambiguous() {
        assertEquals("a\\r\\n\\tb\\u0007c\\u001bd\\u2028e\\\\n", LogText.escape("a\r\n\tb\u0007c\u001bd\u2028e\\n"));
        assertEquals("null", LogText.escape(null));
        assertEquals("ünï € 名前", LogText.escape("ünï € 名前"));
    }

    @Test
    void plainTextIsReturnedAsIs() {
        String plain = "[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found.";
        assertSame(plain, LogText.escape(plain));
    }

    @Test
    void longValuesAreCut() {
        String escaped = LogText.escape("x".repeat(LogText.MAX_CHARS + 500));
        assertTrue(escaped.startsWith("x".repeat(LogText.MAX_CHARS) + "...(500 more chars)"), escaped);
        assertEquals(LogText.MAX_CHARS + "...(500 more chars)".length(), escaped.length());
    }
}
