package dev.sparkgateway.catalog;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NamesTest {

    @Test
    void quotesEveryPart() {
        assertEquals("`spark_catalog`.`we.ird`.`tab``le`", Names.qualified("spark_catalog", "we.ird", "tab`le"));
        assertEquals("`größe`", Names.quote("größe"));
        assertEquals("````", Names.quote("`"));
    }

    @Test
    void parsesNamesAsSparkWritesThem() {
        assertEquals(Optional.of(List.of("default")), Names.parse("default"));
        assertEquals(Optional.of(List.of("we.ird")), Names.parse("`we.ird`"));
        assertEquals(Optional.of(List.of("a", "b`c")), Names.parse("a.`b``c`"));
        assertEquals(Optional.of(List.of("")), Names.parse("``"));
        for (String bad : List.of("", "a.", ".a", "`a", "a`b", "`a`b", "a..b")) {
            assertEquals(Optional.empty(), Names.parse(bad), bad);
        }
    }

    @Test
    void quotedNamesParseBack() {
        for (String name : List.of("plain", "we.ird", "tab`le", "größe", "``", " space ")) {
            assertEquals(Optional.of(List.of(name)), Names.parse(Names.quote(name)), name);
        }
    }
}
