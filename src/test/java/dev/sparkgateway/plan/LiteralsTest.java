package dev.sparkgateway.plan;

import dev.sparkgateway.types.DataTypesTest;
import dev.sparkgateway.types.DataTypes;
import org.apache.spark.connect.proto.Expression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.apache.spark.connect.proto.DataType;
import org.apache.spark.connect.proto.Expression.Literal;
import org.apache.spark.connect.proto.Expression.Literal.LiteralTypeCase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LiteralsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AT = "/parameters/x";

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static Expression expression(String jsonText) {
        return Literals.fromJson(json(jsonText), AT);
    }

    static Literal literal(String jsonText) {
        Expression e = expression(jsonText);
        assertTrue(e.hasLiteral(), "expected a literal, got " + e);
        return e.getLiteral();
    }

    /** Collections holding nulls become array()/map() calls: Spark reads a null inside a collection literal as 0. */
    static Expression.UnresolvedFunction call(String jsonText, String function) {
        Expression e = expression(jsonText);
        assertTrue(e.hasUnresolvedFunction(), "expected a function call, got " + e);
        assertEquals(function, e.getUnresolvedFunction().getFunctionName());
        return e.getUnresolvedFunction();
    }

    /** A typed parameter {"value": <valueJson>, "type": "<type>"}. */
    static Literal typed(String valueJson, String type) {
        return literal("{\"value\": " + valueJson + ", \"type\": \"" + type + "\"}");
    }

    static PlanException failure(String jsonText) {
        return assertThrows(PlanException.class, () -> literal(jsonText));
    }

    static PlanException typedFailure(String valueJson, String type) {
        return assertThrows(PlanException.class, () -> typed(valueJson, type));
    }

    @Nested
    class Untyped {

        @Test
        void smallIntegerIsInt() {
            Literal l = literal("42");
            assertEquals(LiteralTypeCase.INTEGER, l.getLiteralTypeCase());
            assertEquals(42, l.getInteger());
            assertEquals(Integer.MIN_VALUE, literal(String.valueOf(Integer.MIN_VALUE)).getInteger());
        }

        @Test
        void integerBeyondIntIsLong() {
            Literal l = literal("2147483648");
            assertEquals(LiteralTypeCase.LONG, l.getLiteralTypeCase());
            assertEquals(2147483648L, l.getLong());
            assertEquals(Long.MAX_VALUE, literal(String.valueOf(Long.MAX_VALUE)).getLong());
        }

        @Test
        void integerBeyondLongIsDecimal38() {
            Literal l = literal("9223372036854775808");
            assertEquals(LiteralTypeCase.DECIMAL, l.getLiteralTypeCase());
            assertEquals("9223372036854775808", l.getDecimal().getValue());
            assertEquals(38, l.getDecimal().getPrecision());
            assertEquals(0, l.getDecimal().getScale());
        }

        @Test
        void integerBeyond38DigitsIsRejected() {
            PlanException e = failure("1" + "0".repeat(38));
            assertEquals(AT, e.pointer());
            assertTrue(e.getMessage().contains("does not fit DECIMAL(38,0)"), e.getMessage());
        }

        @Test
        void fractionIsDouble() {
            Literal l = literal("1.5");
            assertEquals(LiteralTypeCase.DOUBLE, l.getLiteralTypeCase());
            assertEquals(1.5, l.getDouble());
            assertEquals(1e300, literal("1e300").getDouble());
        }

        @Test
        void textIsString() {
            Literal l = literal("\"héllo\"");
            assertEquals(LiteralTypeCase.STRING, l.getLiteralTypeCase());
            assertEquals("héllo", l.getString());
        }

        @Test
        void textThatLooksLikeANumberStaysString() {
            assertEquals("42", literal("\"42\"").getString());
        }

        @Test
        void booleans() {
            assertEquals(LiteralTypeCase.BOOLEAN, literal("true").getLiteralTypeCase());
            assertTrue(literal("true").getBoolean());
            assertFalse(literal("false").getBoolean());
        }

        @Test
        void nullIsNullOfTypeVoid() {
            Literal l = literal("null");
            assertEquals(LiteralTypeCase.NULL, l.getLiteralTypeCase());
            assertTrue(l.getNull().hasNull());
            assertEquals("void", DataTypes.format(l.getNull()));
        }

        @Test
        void javaNullAndMissingNodeAreNullToo() {
            assertTrue(Literals.fromJson(null, AT).getLiteral().getNull().hasNull());
            assertTrue(Literals.fromJson(json("{}").path("absent"), AT).getLiteral().getNull().hasNull());
        }

        @Test
        void arrayOfIntegersHasBigintElements() {
            Literal l = literal("[1, 2, 3]");
            assertEquals(DataTypesTest.bigint(), l.getArray().getElementType());
            assertEquals(List.of(1L, 2L, 3L), l.getArray().getElementsList().stream().map(Literal::getLong).toList());
        }

        @Test
        void arrayMixingIntegersAndFractionsIsDouble() {
            for (String text : List.of("[1, 2.5]", "[2.5, 1]")) {
                Literal l = literal(text);
                assertEquals(DataTypesTest.float64(), l.getArray().getElementType(), text);
                assertEquals(List.of(LiteralTypeCase.DOUBLE, LiteralTypeCase.DOUBLE),
                        l.getArray().getElementsList().stream().map(Literal::getLiteralTypeCase).toList(), text);
            }
            assertEquals(List.of(1.0, 2.5), literal("[1, 2.5]").getArray().getElementsList().stream()
                    .map(Literal::getDouble).toList());
        }

        @Test
        void arrayOfStrings() {
            Expression.UnresolvedFunction f = call("[\"a\", null, \"b\"]", "array");
            assertEquals("a", f.getArguments(0).getLiteral().getString());
            assertEquals(DataTypesTest.string(), f.getArguments(1).getLiteral().getNull());
            assertEquals("b", f.getArguments(2).getLiteral().getString());
        }

        @Test
        void arrayOfBooleans() {
            Literal l = literal("[true, false]");
            assertEquals(DataTypesTest.bool(), l.getArray().getElementType());
            assertFalse(l.getArray().getElements(1).getBoolean());
        }

        @Test
        void emptyArrayIsArrayOfString() {
            Literal l = literal("[]");
            assertEquals(DataTypesTest.string(), l.getArray().getElementType());
            assertEquals(0, l.getArray().getElementsCount());
        }

        @Test
        void arrayMixingStringsAndNumbersPointsAtTheOddElement() {
            PlanException e = failure("[\"a\", \"b\", 3]");
            assertEquals(AT + "/2", e.pointer());
            assertTrue(e.getMessage().contains("mix string and bigint"), e.getMessage());
        }

        @Test
        void arrayMixingBooleansAndNumbers() {
            assertEquals(AT + "/1", failure("[true, 1]").pointer());
        }

        @Test
        void nestedArrayWithoutTypeIsRejected() {
            PlanException e = failure("[1, [2]]");
            assertEquals(AT + "/1", e.pointer());
            assertTrue(e.getMessage().contains("ARRAY<...>"), e.getMessage());
        }
    }

    @Nested
    class TypedObject {

        @Test
        void objectWithoutTypeIsRejectedAtTheObject() {
            PlanException e = failure("{\"value\": 1}");
            assertEquals(AT, e.pointer());
            assertTrue(e.getMessage().contains("\"type\""), e.getMessage());
        }

        @Test
        void nonTextTypeIsRejectedAtTheObject() {
            assertEquals(AT, failure("{\"value\": 1, \"type\": 5}").pointer());
        }

        @Test
        void unknownKeyIsRejectedAtThatKey() {
            PlanException e = failure("{\"value\": 1, \"type\": \"INT\", \"extra\": true}");
            assertEquals("/parameters/x/extra", e.pointer());
            assertTrue(e.getMessage().contains("'extra'"), e.getMessage());
        }

        @Test
        void unknownKeyIsEscapedInThePointer() {
            assertEquals("/parameters/x/a~1b~0c", failure("{\"value\": 1, \"type\": \"INT\", \"a/b~c\": 0}").pointer());
        }

        @Test
        void badTypeStringPointsAtType() {
            PlanException e = failure("{\"value\": 1, \"type\": \"INTEGR\"}");
            assertEquals("/parameters/x/type", e.pointer());
            assertTrue(e.getMessage().contains("unknown or unsupported type 'INTEGR'"), e.getMessage());
            assertEquals("/parameters/x/type", failure("{\"value\": 1, \"type\": \"DECIMAL(40,2)\"}").pointer());
        }

        @Test
        void typedNullIsNullOfThatType() {
            assertEquals(DataTypesTest.decimal(10, 2), typed("null", "DECIMAL(10,2)").getNull());
            assertEquals(DataTypesTest.array(DataTypesTest.integer()), literal("{\"type\": \"ARRAY<INT>\"}").getNull());
        }

        @Test
        void typeNamesAreCaseInsensitiveAndAcceptSynonyms() {
            assertEquals(LiteralTypeCase.TIMESTAMP, typed("\"2024-01-31T12:00:00Z\"", "timestamp_ltz").getLiteralTypeCase());
            assertEquals(LiteralTypeCase.LONG, typed("1", " long ").getLiteralTypeCase());
        }
    }

    @Nested
    class Typed {

        @Test
        void booleanFromBooleanOrText() {
            assertTrue(typed("true", "BOOLEAN").getBoolean());
            assertFalse(typed("\"FALSE\"", "BOOLEAN").getBoolean());
            assertTrue(typed("\"True\"", "boolean").getBoolean());
        }

        @Test
        void tinyint() {
            Literal l = typed("127", "TINYINT");
            assertEquals(LiteralTypeCase.BYTE, l.getLiteralTypeCase());
            assertEquals(127, l.getByte());
            assertEquals(-128, typed("\"-128\"", "BYTE").getByte());
        }

        @Test
        void smallint() {
            Literal l = typed("-32768", "SMALLINT");
            assertEquals(LiteralTypeCase.SHORT, l.getLiteralTypeCase());
            assertEquals(-32768, l.getShort());
        }

        @Test
        void intFromString() {
            Literal l = typed("\"42\"", "INT");
            assertEquals(LiteralTypeCase.INTEGER, l.getLiteralTypeCase());
            assertEquals(42, l.getInteger());
            assertEquals(42, typed("\" 42 \"", "INT").getInteger());
            assertEquals(100, typed("\"1e2\"", "INT").getInteger());
        }

        @Test
        void bigintIsExactFromStringAndFromJsonNumber() {
            // 2^53 + 1: not representable as a double
            assertEquals(9007199254740993L, typed("\"9007199254740993\"", "BIGINT").getLong());
            assertEquals(9007199254740993L, typed("9007199254740993", "BIGINT").getLong());
            assertEquals(LiteralTypeCase.LONG, typed("1", "LONG").getLiteralTypeCase());
        }

        @Test
        void floatAndDouble() {
            Literal f = typed("1.5", "FLOAT");
            assertEquals(LiteralTypeCase.FLOAT, f.getLiteralTypeCase());
            assertEquals(1.5f, f.getFloat());
            assertEquals(0.25f, typed("\"0.25\"", "REAL").getFloat());
            Literal d = typed("\"2.5\"", "DOUBLE");
            assertEquals(LiteralTypeCase.DOUBLE, d.getLiteralTypeCase());
            assertEquals(2.5, d.getDouble());
            assertEquals(3.0, typed("3", "DOUBLE").getDouble());
        }

        @Test
        void doubleSpecialValues() {
            assertTrue(Double.isNaN(typed("\"NaN\"", "DOUBLE").getDouble()));
            assertEquals(Double.POSITIVE_INFINITY, typed("\"Infinity\"", "DOUBLE").getDouble());
            assertEquals(Double.NEGATIVE_INFINITY, typed("\"-Infinity\"", "DOUBLE").getDouble());
            assertTrue(Float.isNaN(typed("\"NaN\"", "FLOAT").getFloat()));
            assertEquals(Float.NEGATIVE_INFINITY, typed("\"-Infinity\"", "FLOAT").getFloat());
        }

        @Test
        void decimalIsScaledToTheDeclaredScale() {
            Literal l = typed("\"12.3\"", "DECIMAL(10,2)");
            assertEquals(LiteralTypeCase.DECIMAL, l.getLiteralTypeCase());
            assertEquals("12.30", l.getDecimal().getValue());
            assertEquals(10, l.getDecimal().getPrecision());
            assertEquals(2, l.getDecimal().getScale());
        }

        @Test
        void decimalFromJsonNumbers() {
            assertEquals("12.30", typed("12.3", "DECIMAL(10,2)").getDecimal().getValue());
            assertEquals("-0.50", typed("-0.5", "DECIMAL(3,2)").getDecimal().getValue());
            assertEquals("12345678901234567890123456789012345678",
                    typed("\"12345678901234567890123456789012345678\"", "DECIMAL(38,0)").getDecimal().getValue());
            assertEquals("100", typed("\"1E+2\"", "DECIMAL").getDecimal().getValue());
        }

        @Test
        void decimalUpToItsPrecisionFits() {
            assertEquals("99999999.99", typed("\"99999999.99\"", "DECIMAL(10,2)").getDecimal().getValue());
        }

        @Test
        void stringLikeTypes() {
            assertEquals("abc", typed("\"abc\"", "STRING").getString());
            assertEquals("42", typed("42", "STRING").getString());
            Literal v = typed("\"abc\"", "VARCHAR(5)");
            assertEquals(LiteralTypeCase.STRING, v.getLiteralTypeCase());
            assertEquals("abc", v.getString());
            assertEquals("ab", typed("\"ab\"", "CHAR(3)").getString());
        }

        @Test
        void binaryFromBase64() {
            Literal l = typed("\"AAEC/w==\"", "BINARY");
            assertEquals(LiteralTypeCase.BINARY, l.getLiteralTypeCase());
            assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, l.getBinary().toByteArray());
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({"2024-01-31, 19753", "1970-01-01, 0", "1969-12-31, -1", "1900-01-01, -25567"})
        void dateIsEpochDays(String date, int days) {
            Literal l = typed("\"" + date + "\"", "DATE");
            assertEquals(LiteralTypeCase.DATE, l.getLiteralTypeCase());
            assertEquals(days, l.getDate());
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
                "2024-01-31T12:00:00Z,          1706702400000000",
                "2024-01-31T14:00:00+02:00,     1706702400000000",
                "2024-01-31T12:00:00,           1706702400000000",
                "2024-01-31T12:00:00.123456Z,   1706702400123456",
                "1969-12-31T23:59:59Z,          -1000000",
                "1969-12-31T23:59:59.5Z,        -500000"})
        void timestampIsMicrosSinceEpoch(String text, long micros) {
            Literal l = typed("\"" + text + "\"", "TIMESTAMP");
            assertEquals(LiteralTypeCase.TIMESTAMP, l.getLiteralTypeCase());
            assertEquals(micros, l.getTimestamp());
        }

        @Test
        void timestampNtzIsWallClockMicros() {
            Literal l = typed("\"2024-01-31T12:00:00\"", "TIMESTAMP_NTZ");
            assertEquals(LiteralTypeCase.TIMESTAMP_NTZ, l.getLiteralTypeCase());
            assertEquals(1706702400000000L, l.getTimestampNtz());
        }

        /**
         * Sub-microsecond digits before 1970 must truncate towards the past, as Spark does
         * (DateTimeUtils.instantToMicros: epochSecond * 1_000_000 + nano / 1000 = -1). Literals uses
         * ChronoUnit.MICROS.between, which truncates towards zero and yields 0, i.e. 1970-01-01T00:00:00Z:
         * the value moves to the next second instead of losing its last digit.
         */
        @Test
        void preEpochSubMicrosecondTruncatesTowardsThePast() {
            assertEquals(-1L, typed("\"1969-12-31T23:59:59.9999995Z\"", "TIMESTAMP").getTimestamp());
        }

        @Test
        void arrayWithNullElement() {
            Expression.UnresolvedFunction f = call("{\"value\": [1, null, 3], \"type\": \"ARRAY<INT>\"}", "array");
            assertEquals(3, f.getArgumentsCount());
            assertEquals(1, f.getArguments(0).getLiteral().getInteger());
            assertEquals(DataTypesTest.integer(), f.getArguments(1).getLiteral().getNull());
            assertEquals(3, f.getArguments(2).getLiteral().getInteger());
        }

        /** A value its declared type cannot hold: the error points at the value and, where given, says why. */
        @ParameterizedTest(name = "{0} as {1}")
        @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
                1                      | BOOLEAN         | -
                "yes"                  | BOOLEAN         | -
                128                    | TINYINT         | out of range for TINYINT (-128..127)
                -129                   | TINYINT         | out of range for TINYINT (-128..127)
                "1000"                 | TINYINT         | out of range for TINYINT (-128..127)
                1.5                    | TINYINT         | TINYINT needs a whole number, got 1.5
                32768                  | SHORT           | out of range for SMALLINT
                "forty-two"            | INT             | expected a number (or a string holding one)
                2147483648             | INT             | -
                true                   | INT             | -
                9223372036854775808    | BIGINT          | -
                "lots"                 | DOUBLE          | for DOUBLE
                "12.345"               | DECIMAL(10,2)   | 12.345 has more than 2 decimal places for DECIMAL(10,2)
                "123456789.5"          | DECIMAL(10,2)   | 123456789.5 does not fit DECIMAL(10,2)
                [1]                    | STRING          | -
                {}                     | VARCHAR(5)      | -
                "not base64!"          | BINARY          | BINARY values are base64 text
                12                     | BINARY          | expected a string for BINARY
                "31/01/2024"           | DATE            | DATE values look like 2024-01-31
                "2024-02-30"           | DATE            | -
                19753                  | DATE            | -
                "2024-01-31 12:00"     | TIMESTAMP       | TIMESTAMP values look like
                1706702400             | TIMESTAMP       | -
                "2024-01-31T12:00:00Z" | TIMESTAMP_NTZ   | TIMESTAMP_NTZ values look like
                1                      | ARRAY<INT>      | expected a JSON array for ARRAY<int>
                [1]                    | MAP<STRING,INT> | expected a JSON object for map<string,int>
                """)
        void aValueItsTypeCannotHoldIsRejectedAtTheValue(String value, String type, String reason) {
            PlanException e = typedFailure(value, type);
            assertEquals("/parameters/x/value", e.pointer());
            if (reason != null) {
                assertTrue(e.getMessage().contains(reason), e.getMessage());
            }
        }

        @Test
        void arrayElementErrorPointsIntoTheValue() {
            PlanException e = typedFailure("[1, 2, \"x\"]", "ARRAY<INT>");
            assertEquals("/parameters/x/value/2", e.pointer());
        }

        @Test
        void nestedArrayElementErrorPointsAllTheWayDown() {
            PlanException e = typedFailure("[[1], [2, 300]]", "ARRAY<ARRAY<TINYINT>>");
            assertEquals("/parameters/x/value/1/1", e.pointer());
        }

        @Test
        void mapOfStringToInt() {
            Literal l = typed("{\"a\": 1, \"b\": 2}", "MAP<STRING,INT>");
            assertEquals(LiteralTypeCase.MAP, l.getLiteralTypeCase());
            Literal.Map m = l.getMap();
            assertEquals(DataTypesTest.string(), m.getKeyType());
            assertEquals(DataTypesTest.integer(), m.getValueType());
            assertEquals(List.of("a", "b"), m.getKeysList().stream().map(Literal::getString).toList());
            assertEquals(2, m.getValues(1).getInteger());
            Expression.UnresolvedFunction f = call("{\"value\": {\"a\": 1, \"b\": null}, \"type\": \"MAP<STRING,INT>\"}", "map");
            assertEquals(List.of("a", "b"), List.of(f.getArguments(0).getLiteral().getString(), f.getArguments(2).getLiteral().getString()));
            assertEquals(1, f.getArguments(1).getLiteral().getInteger());
            assertEquals(DataTypesTest.integer(), f.getArguments(3).getLiteral().getNull());
        }

        @Test
        void mapKeysAreConvertedToTheKeyType() {
            Literal.Map m = typed("{\"7\": \"seven\"}", "MAP<INT,STRING>").getMap();
            assertEquals(7, m.getKeys(0).getInteger());
            assertEquals("seven", m.getValues(0).getString());
        }

        @Test
        void mapValueErrorPointsAtTheEscapedKey() {
            PlanException e = typedFailure("{\"ok\": 1, \"a/b\": \"x\"}", "MAP<STRING,INT>");
            assertEquals("/parameters/x/value/a~1b", e.pointer());
        }

    }
}
