package dev.sparkgateway.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JsonValueWriterScalarTest {

    @RegisterExtension
    final ArrowMemory memory = new ArrowMemory();
    private final RootAllocator allocator = memory.allocator();

    /** JSON text of every row. */
    static List<String> json(ValueVector v) {
        return json(ValueWriter.forVector(v), v.getValueCount());
    }

    static List<String> json(ValueWriter w, int rows) {
        List<String> out = new ArrayList<>();
        try {
            for (int i = 0; i < rows; i++) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                JsonGenerator gen = Json.generator(bytes);
                w.writeJson(i, gen);
                gen.close();
                out.add(bytes.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /** Text form of every row; null for SQL NULL. */
    static List<String> text(ValueVector v) {
        ValueWriter w = ValueWriter.forVector(v);
        TextBuffer buffer = new TextBuffer(4);
        List<String> out = new ArrayList<>();
        try {
            for (int i = 0; i < v.getValueCount(); i++) {
                out.add(w.writeText(i, buffer.reset()) ? buffer.toString() : null);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /**
     * Checks a vector whose values are written the same as JSON and as text (numbers, booleans,
     * nested values): {@code rows} is each row's text, null for SQL NULL, which JSON writes as null.
     */
    static void assertWritten(ValueVector v, String... rows) {
        List<String> text = Arrays.asList(rows);
        assertEquals(text, text(v));
        assertEquals(text.stream().map(row -> row == null ? "null" : row).toList(), json(v));
    }

    @Test
    void booleans() {
        try (BitVector v = new BitVector("b", allocator)) {
            v.setSafe(0, 1);
            v.setSafe(1, 0);
            v.setNull(2);
            v.setValueCount(3);
            assertWritten(v, "true", "false", null);
        }
    }

    @Test
    void integersAreExactEvenBeyondDoublePrecision() {
        try (TinyIntVector t = new TinyIntVector("t", allocator);
             SmallIntVector s = new SmallIntVector("s", allocator);
             IntVector i = new IntVector("i", allocator);
             BigIntVector l = new BigIntVector("l", allocator)) {
            t.setSafe(0, -128);
            t.setNull(1);
            t.setValueCount(2);
            s.setSafe(0, 32767);
            s.setSafe(1, -1);
            s.setValueCount(2);
            i.setSafe(0, Integer.MIN_VALUE);
            i.setSafe(1, 0);
            i.setValueCount(2);
            l.setSafe(0, 9007199254740993L);
            l.setSafe(1, Long.MIN_VALUE);
            l.setSafe(2, Long.MAX_VALUE);
            l.setSafe(3, -9007199254740993L);
            l.setValueCount(4);
            assertWritten(t, "-128", null);
            assertEquals(List.of("32767", "-1"), json(s));
            assertEquals(List.of("-2147483648", "0"), json(i));
            assertWritten(l, "9007199254740993", "-9223372036854775808", "9223372036854775807", "-9007199254740993");
        }
    }

    @Test
    void floatingPointWithSpecialValuesAsStrings() {
        try (Float4Vector f = new Float4Vector("f", allocator); Float8Vector d = new Float8Vector("d", allocator)) {
            f.setSafe(0, 0.1f);
            f.setSafe(1, Float.NaN);
            f.setSafe(2, Float.NEGATIVE_INFINITY);
            f.setNull(3);
            f.setValueCount(4);
            double[] values = {0.1, -2.5, 1e300, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0};
            for (int i = 0; i < values.length; i++) {
                d.setSafe(i, values[i]);
            }
            d.setValueCount(values.length);
            assertEquals(List.of("0.1", "\"NaN\"", "\"-Infinity\"", "null"), json(f));
            assertEquals(Arrays.asList("0.1", "NaN", "-Infinity", null), text(f));
            assertEquals(List.of("0.1", "-2.5", "1.0E300", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "-0.0"), json(d));
            assertEquals(List.of("0.1", "-2.5", "1.0E300", "NaN", "Infinity", "-Infinity", "-0.0"), text(d));
        }
    }

    @Test
    void decimalsAreStringsWithExactScaleInPlainNotation() {
        try (DecimalVector d2 = new DecimalVector("d2", allocator, 10, 2);
             DecimalVector d3 = new DecimalVector("d3", allocator, 10, 3);
             DecimalVector wide = new DecimalVector("w", allocator, 38, 2);
             DecimalVector tiny = new DecimalVector("t", allocator, 38, 20);
             Decimal256Vector huge = new Decimal256Vector("h", allocator, 76, 4)) {
            d2.setSafe(0, new BigDecimal("12.30"));
            d2.setSafe(1, new BigDecimal("0.00"));
            d2.setSafe(2, new BigDecimal("-7.05"));
            d2.setNull(3);
            d2.setValueCount(4);
            d3.setSafe(0, new BigDecimal("-0.001"));
            d3.setSafe(1, new BigDecimal("1000000.000"));
            d3.setValueCount(2);
            wide.setSafe(0, new BigDecimal("-123456789012345678901234567890123456.78"));
            wide.setSafe(1, new BigDecimal("92233720368547758.08")); // unscaled just above Long.MAX_VALUE
            wide.setSafe(2, new BigDecimal("-92233720368547758.08")); // unscaled Long.MIN_VALUE
            wide.setValueCount(3);
            tiny.setSafe(0, new BigDecimal("0.00000000000000000001"));
            tiny.setValueCount(1);
            huge.setSafe(0, new BigDecimal("1E+40").setScale(4));
            huge.setValueCount(1);
            assertEquals(List.of("\"12.30\"", "\"0.00\"", "\"-7.05\"", "null"), json(d2));
            assertEquals(Arrays.asList("12.30", "0.00", "-7.05", null), text(d2));
            assertEquals(List.of("-0.001", "1000000.000"), text(d3));
            assertEquals(List.of("-123456789012345678901234567890123456.78", "92233720368547758.08",
                    "-92233720368547758.08"), text(wide));
            assertEquals(List.of("\"0.00000000000000000001\""), json(tiny));
            assertEquals(List.of("10000000000000000000000000000000000000000.0000"), text(huge));
        }
    }

    @Test
    void stringsAreEscapedForJsonAndRawAsText() throws IOException {
        String[] values = {"plain", "quote\" back\\slash", "tab\tnl\nctl\u0001", "ünïcödé 😀", ""};
        try (VarCharVector v = new VarCharVector("s", allocator); LargeVarCharVector large = new LargeVarCharVector("l", allocator)) {
            for (int i = 0; i < values.length; i++) {
                v.setSafe(i, values[i].getBytes(StandardCharsets.UTF_8));
                large.setSafe(i, values[i].getBytes(StandardCharsets.UTF_8));
            }
            v.setNull(values.length);
            large.setNull(values.length);
            v.setValueCount(values.length + 1);
            large.setValueCount(values.length + 1);
            List<String> expectedJson = new ArrayList<>();
            for (String s : values) {
                expectedJson.add(Json.MAPPER.writeValueAsString(s));
            }
            expectedJson.add("null");
            List<String> expectedText = new ArrayList<>(Arrays.asList(values));
            expectedText.add(null);
            assertEquals(expectedJson, json(v));
            assertEquals(expectedText, text(v));
            assertEquals(expectedJson, json(large));
            assertEquals(expectedText, text(large));
        }
    }

    @Test
    void binaryIsPaddedStandardBase64() {
        byte[][] values = {{}, {1}, {1, 2}, {1, 2, 3}, {(byte) 0xfb, (byte) 0xff}, {(byte) 0xfb, (byte) 0xef, (byte) 0xbe, 0, 0x7f}};
        try (VarBinaryVector v = new VarBinaryVector("b", allocator);
             FixedSizeBinaryVector fixed = new FixedSizeBinaryVector("f", allocator, 2)) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                v.setSafe(i, values[i]);
                expected.add(Base64.getEncoder().encodeToString(values[i]));
            }
            v.setValueCount(values.length);
            assertEquals(List.of("", "AQ==", "AQI=", "AQID", "+/8=", "++++AH8="), expected);
            assertEquals(expected, text(v));
            assertEquals(expected.stream().map(s -> '"' + s + '"').toList(), json(v));
            fixed.setSafe(0, new byte[] {(byte) 0xfb, (byte) 0xff});
            fixed.setNull(1);
            fixed.setValueCount(2);
            assertEquals(List.of("\"+/8=\"", "null"), json(fixed));
        }
    }

    @Test
    void voidColumnIsAlwaysNull() {
        try (NullVector v = new NullVector("v", 2)) {
            assertWritten(v, null, null);
        }
    }

    @Test
    void unknownTypesFallBackToTheirObjectText() {
        try (UInt4Vector v = new UInt4Vector("u", allocator)) {
            v.setSafe(0, 7);
            v.setNull(1);
            v.setValueCount(2);
            assertEquals(List.of("\"7\"", "null"), json(v));
            assertEquals(Arrays.asList("7", null), text(v));
        }
    }

    @Test
    void dictionaryEncodedValuesAreDecoded() {
        DictionaryEncoding encoding = new DictionaryEncoding(1L, false, new ArrowType.Int(32, true));
        VarCharVector colors = new VarCharVector("colors", allocator);
        colors.setSafe(0, "red".getBytes(StandardCharsets.UTF_8));
        colors.setSafe(1, "green".getBytes(StandardCharsets.UTF_8));
        colors.setValueCount(2);
        Field field = new Field("c", new FieldType(true, new ArrowType.Int(32, true), encoding), null);
        try (colors; IntVector indices = new IntVector(field, allocator)) {
            indices.setSafe(0, 1);
            indices.setSafe(1, 0);
            indices.setNull(2);
            indices.setValueCount(3);
            DictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider(new Dictionary(colors, encoding));
            assertEquals(List.of("\"green\"", "\"red\"", "null"), json(ValueWriter.forVector(indices, provider), 3));
        }
    }
}
