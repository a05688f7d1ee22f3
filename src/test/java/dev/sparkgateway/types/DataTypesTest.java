package dev.sparkgateway.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.apache.spark.connect.proto.DataType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

public class DataTypesTest {

    // --- builders for expected types -------------------------------------------------------

    public static DataType bool() { return DataType.newBuilder().setBoolean(DataType.Boolean.getDefaultInstance()).build(); }
    public static DataType tinyint() { return DataType.newBuilder().setByte(DataType.Byte.getDefaultInstance()).build(); }
    public static DataType smallint() { return DataType.newBuilder().setShort(DataType.Short.getDefaultInstance()).build(); }
    public static DataType integer() { return DataType.newBuilder().setInteger(DataType.Integer.getDefaultInstance()).build(); }
    public static DataType bigint() { return DataType.newBuilder().setLong(DataType.Long.getDefaultInstance()).build(); }
    public static DataType float32() { return DataType.newBuilder().setFloat(DataType.Float.getDefaultInstance()).build(); }
    public static DataType float64() { return DataType.newBuilder().setDouble(DataType.Double.getDefaultInstance()).build(); }
    public static DataType string() { return DataType.newBuilder().setString(DataType.String.getDefaultInstance()).build(); }
    public static DataType binary() { return DataType.newBuilder().setBinary(DataType.Binary.getDefaultInstance()).build(); }
    public static DataType date() { return DataType.newBuilder().setDate(DataType.Date.getDefaultInstance()).build(); }
    public static DataType timestamp() { return DataType.newBuilder().setTimestamp(DataType.Timestamp.getDefaultInstance()).build(); }
    public static DataType timestampNtz() { return DataType.newBuilder().setTimestampNtz(DataType.TimestampNTZ.getDefaultInstance()).build(); }

    public static DataType decimal(int precision, int scale) {
        return DataType.newBuilder().setDecimal(DataType.Decimal.newBuilder().setPrecision(precision).setScale(scale)).build();
    }

    public static DataType array(DataType element) {
        return DataType.newBuilder().setArray(DataType.Array.newBuilder().setElementType(element).setContainsNull(true)).build();
    }

    public static DataType map(DataType key, DataType value) {
        return DataType.newBuilder().setMap(DataType.Map.newBuilder().setKeyType(key).setValueType(value)
                .setValueContainsNull(true)).build();
    }

    public static DataType charOf(int n) { return DataType.newBuilder().setChar(DataType.Char.newBuilder().setLength(n)).build(); }
    public static DataType varcharOf(int n) { return DataType.newBuilder().setVarChar(DataType.VarChar.newBuilder().setLength(n)).build(); }

    static DataType.StructField field(String name, DataType type) {
        return DataType.StructField.newBuilder().setName(name).setDataType(type).setNullable(true).build();
    }

    @Nested
    class Format {

        static Stream<Arguments> kinds() {
            return Stream.of(
                    Arguments.of(DataType.newBuilder().setNull(DataType.NULL.getDefaultInstance()).build(), "void"),
                    Arguments.of(binary(), "binary"),
                    Arguments.of(bool(), "boolean"),
                    Arguments.of(tinyint(), "tinyint"),
                    Arguments.of(smallint(), "smallint"),
                    Arguments.of(integer(), "int"),
                    Arguments.of(bigint(), "bigint"),
                    Arguments.of(float32(), "float"),
                    Arguments.of(float64(), "double"),
                    Arguments.of(decimal(10, 2), "decimal(10,2)"),
                    Arguments.of(decimal(38, 0), "decimal(38,0)"),
                    Arguments.of(string(), "string"),
                    Arguments.of(charOf(3), "char(3)"),
                    Arguments.of(varcharOf(5), "varchar(5)"),
                    Arguments.of(date(), "date"),
                    Arguments.of(timestamp(), "timestamp"),
                    Arguments.of(timestampNtz(), "timestamp_ntz"),
                    Arguments.of(DataType.newBuilder().setCalendarInterval(DataType.CalendarInterval.getDefaultInstance()).build(),
                            "interval"),
                    Arguments.of(array(string()), "array<string>"),
                    Arguments.of(map(string(), bigint()), "map<string,bigint>"),
                    Arguments.of(array(map(string(), array(integer()))), "array<map<string,array<int>>>"),
                    Arguments.of(DataType.newBuilder().setStruct(DataType.Struct.newBuilder()
                            .addFields(field("a", integer())).addFields(field("b", string()))).build(), "struct<a:int,b:string>"),
                    Arguments.of(DataType.newBuilder().setStruct(DataType.Struct.getDefaultInstance()).build(), "struct<>"),
                    Arguments.of(DataType.newBuilder().setVariant(DataType.Variant.getDefaultInstance()).build(), "variant"),
                    Arguments.of(DataType.newBuilder().setUnparsed(DataType.Unparsed.newBuilder().setDataTypeString("geometry"))
                            .build(), "geometry"));
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("kinds")
        void formatsEveryKind(DataType type, String expected) {
            assertEquals(expected, DataTypes.format(type));
        }

        @Test
        void decimalWithoutPrecisionOrScaleDefaultsToTenZero() {
            assertEquals("decimal(10,0)", DataTypes.format(DataType.newBuilder().setDecimal(DataType.Decimal.getDefaultInstance()).build()));
        }

        @Test
        void yearMonthIntervals() {
            assertEquals("interval year to month", DataTypes.format(yearMonth(0, 1)));
            assertEquals("interval year", DataTypes.format(yearMonth(0, 0)));
            assertEquals("interval month", DataTypes.format(yearMonth(1, 1)));
            assertEquals("interval year to month",
                    DataTypes.format(DataType.newBuilder().setYearMonthInterval(DataType.YearMonthInterval.getDefaultInstance()).build()));
        }

        @Test
        void dayTimeIntervals() {
            assertEquals("interval day to second", DataTypes.format(dayTime(0, 3)));
            assertEquals("interval day", DataTypes.format(dayTime(0, 0)));
            assertEquals("interval hour to minute", DataTypes.format(dayTime(1, 2)));
            assertEquals("interval second", DataTypes.format(dayTime(3, 3)));
            assertEquals("interval day to second",
                    DataTypes.format(DataType.newBuilder().setDayTimeInterval(DataType.DayTimeInterval.getDefaultInstance()).build()));
        }

        @Test
        void udtUsesItsSqlTypeWhenPresentElseItsClassName() {
            DataType withSql = DataType.newBuilder().setUdt(DataType.UDT.newBuilder().setType("udt")
                    .setSqlType(array(float64()))).build();
            DataType withoutSql = DataType.newBuilder().setUdt(DataType.UDT.newBuilder().setType("udt")).build();
            assertEquals("array<double>", DataTypes.format(withSql));
            assertEquals("udt", DataTypes.format(withoutSql));
        }

        private DataType yearMonth(int start, int end) {
            return DataType.newBuilder().setYearMonthInterval(DataType.YearMonthInterval.newBuilder()
                    .setStartField(start).setEndField(end)).build();
        }

        private DataType dayTime(int start, int end) {
            return DataType.newBuilder().setDayTimeInterval(DataType.DayTimeInterval.newBuilder()
                    .setStartField(start).setEndField(end)).build();
        }
    }

    @Nested
    class Parse {

        static Stream<Arguments> names() {
            return Stream.of(
                    Arguments.of("BOOLEAN", bool()),
                    Arguments.of("TINYINT", tinyint()),
                    Arguments.of("BYTE", tinyint()),
                    Arguments.of("SMALLINT", smallint()),
                    Arguments.of("SHORT", smallint()),
                    Arguments.of("INT", integer()),
                    Arguments.of("INTEGER", integer()),
                    Arguments.of("BIGINT", bigint()),
                    Arguments.of("LONG", bigint()),
                    Arguments.of("FLOAT", float32()),
                    Arguments.of("REAL", float32()),
                    Arguments.of("DOUBLE", float64()),
                    Arguments.of("STRING", string()),
                    Arguments.of("BINARY", binary()),
                    Arguments.of("DATE", date()),
                    Arguments.of("TIMESTAMP", timestamp()),
                    Arguments.of("TIMESTAMP_LTZ", timestamp()),
                    Arguments.of("TIMESTAMP_NTZ", timestampNtz()),
                    Arguments.of("DECIMAL", decimal(10, 0)),
                    Arguments.of("DECIMAL(10,2)", decimal(10, 2)),
                    Arguments.of("DECIMAL(7)", decimal(7, 0)),
                    Arguments.of("DEC(38,38)", decimal(38, 38)),
                    Arguments.of("NUMERIC(5,1)", decimal(5, 1)),
                    Arguments.of("CHAR(3)", charOf(3)),
                    Arguments.of("VARCHAR(5)", varcharOf(5)),
                    Arguments.of("ARRAY<INT>", array(integer())),
                    Arguments.of("MAP<STRING,BIGINT>", map(string(), bigint())),
                    Arguments.of("ARRAY<MAP<STRING,ARRAY<INT>>>", array(map(string(), array(integer())))),
                    Arguments.of("MAP<INT,ARRAY<DECIMAL(4,2)>>", map(integer(), array(decimal(4, 2)))));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("names")
        void parsesEveryAcceptedName(String text, DataType expected) {
            assertEquals(expected, DataTypes.parse(text));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"decimal(10,2)", "Decimal(10,2)", "dEcImAl(10,2)", "  DECIMAL ( 10 , 2 )  ", "\tdecimal(10,\n2)"})
        void isCaseInsensitiveAndIgnoresWhitespace(String text) {
            assertEquals(decimal(10, 2), DataTypes.parse(text));
        }

        @Test
        void nestedTypesAcceptLowerCaseAndSpaces() {
            assertEquals(array(map(string(), array(integer()))), DataTypes.parse(" array < map < string , array<int> > > "));
            assertEquals(timestampNtz(), DataTypes.parse("timestamp_ntz"));
            assertEquals(bigint(), DataTypes.parse("long"));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"decimal(10,2)", "decimal(38,0)", "array<string>", "map<string,bigint>",
                "array<map<string,array<int>>>", "char(3)", "varchar(5)", "timestamp_ntz", "timestamp", "date",
                "binary", "boolean", "tinyint", "smallint", "int", "bigint", "float", "double", "string", "void", "variant",
                "interval", "interval year to month", "interval month", "interval day to second", "interval hour to minute",
                "interval second"})
        void parseThenFormatRoundTrips(String text) {
            assertEquals(text, DataTypes.format(DataTypes.parse(text)));
            assertEquals(text, DataTypes.format(DataTypes.parse(text.toUpperCase())));
        }
    }

    @Test
    void structOfIntervalsRoundTrips() {
        String text = "struct<a:int,b:array<interval day>,c:map<string,interval year to month>>";
        assertEquals(text, DataTypes.format(DataTypes.parse(text)));
        assertEquals(text, new SparkType(DataTypes.parse(text)).name());
        assertEquals(SparkType.parse(text), new SparkType(DataTypes.parse(text)));
    }

    @Nested
    class ParseErrors {

        @Test
        void unknownNameListsTheSupportedTypes() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parse("UUID"));
            assertTrue(e.getMessage().contains("'UUID'"), e.getMessage());
            assertTrue(e.getMessage().contains("DECIMAL(p,s)"), e.getMessage());
            assertTrue(e.getMessage().contains("ARRAY<T>"), e.getMessage());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"INTERVAL YEAR TO SECOND", "INTERVAL SECOND TO DAY", "INTERVAL MONTH TO YEAR", "INTERVAL DAY TO"})
        void intervalMustEndInALaterFieldOfTheSameKind(String text) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parse(text));
            assertTrue(e.getMessage().contains("same kind"), e.getMessage());
        }

        @Test
        void unknownNestedName() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parse("ARRAY<FOO>"));
            assertTrue(e.getMessage().startsWith("unknown or unsupported type"), e.getMessage());
        }

        @Test
        void decimalPrecisionAbove38() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parse("DECIMAL(40,2)"));
            assertEquals("DECIMAL(40,2) is out of range: precision 1..38, scale 0..precision", e.getMessage());
        }

        @Test
        void decimalScaleAbovePrecision() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parse("DECIMAL(5,6)"));
            assertEquals("DECIMAL(5,6) is out of range: precision 1..38, scale 0..precision", e.getMessage());
        }

        @Test
        void decimalPrecisionZero() {
            assertThrows(IllegalArgumentException.class, () -> DataTypes.parse("DECIMAL(0,0)"));
        }

        @Test
        void decimalNonNumericPrecision() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parse("DECIMAL(ten,2)"));
            assertEquals("expected a number but found 'ten' in 'DECIMAL(ten,2)'", e.getMessage());
        }

        @Test
        void unclosedArray() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parse("ARRAY<INT"));
            assertEquals("expected '>' at position 9 of 'ARRAY<INT'", e.getMessage());
        }

        @Test
        void mapWithoutValueType() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parse("MAP<STRING>"));
            assertEquals("expected ',' at position 10 of 'MAP<STRING>'", e.getMessage());
        }

        @Test
        void trailingGarbage() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parse("INT garbage"));
            assertEquals("unexpected 'garbage' in type 'INT garbage'", e.getMessage());
        }

        @Test
        void trailingClosingBracket() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parse("ARRAY<INT>>"));
            assertEquals("unexpected '>' in type 'ARRAY<INT>>'", e.getMessage());
        }

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"", "   "})
        void emptyText(String text) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parse(text));
            assertTrue(e.getMessage().startsWith("expected a type name at position"), e.getMessage());
        }

        @Test
        void nullText() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parse(null));
            assertEquals("expected a type name at position 0 of ''", e.getMessage());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"CHAR", "CHAR(0)", "VARCHAR()", "VARCHAR(x)"})
        void charAndVarcharNeedAPositiveLength(String text) {
            assertThrows(IllegalArgumentException.class, () -> DataTypes.parse(text));
        }

        @Test
        void charLengthZeroSaysSo() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataTypes.parse("CHAR(0)"));
            assertEquals("CHAR length must be positive", e.getMessage());
        }
    }
}
