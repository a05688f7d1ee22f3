package dev.sparkgateway.plan;

import org.apache.spark.connect.proto.DataType;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Spark SQL type names to and from Spark Connect {@link DataType}: {@link #format} gives Spark's
 * own simple names ({@code decimal(10,2)}, {@code array<string>}), {@link #parse} accepts what a
 * caller writes for a typed parameter ({@code DECIMAL(10,2)}, {@code ARRAY<INT>}, {@code MAP<STRING,BIGINT>}).
 */
public final class DataTypes {

    private static final String[] YEAR_MONTH = {"year", "month"};
    private static final String[] DAY_TIME = {"day", "hour", "minute", "second"};

    private DataTypes() {
    }

    public static String format(DataType type) {
        switch (type.getKindCase()) {
            case NULL: return "void";
            case BINARY: return "binary";
            case BOOLEAN: return "boolean";
            case BYTE: return "tinyint";
            case SHORT: return "smallint";
            case INTEGER: return "int";
            case LONG: return "bigint";
            case FLOAT: return "float";
            case DOUBLE: return "double";
            case DECIMAL: {
                DataType.Decimal d = type.getDecimal();
                return "decimal(" + (d.hasPrecision() ? d.getPrecision() : 10) + "," + (d.hasScale() ? d.getScale() : 0) + ")";
            }
            case STRING: return "string";
            case CHAR: return "char(" + type.getChar().getLength() + ")";
            case VAR_CHAR: return "varchar(" + type.getVarChar().getLength() + ")";
            case DATE: return "date";
            case TIMESTAMP: return "timestamp";
            case TIMESTAMP_NTZ: return "timestamp_ntz";
            case CALENDAR_INTERVAL: return "interval";
            case YEAR_MONTH_INTERVAL: {
                DataType.YearMonthInterval i = type.getYearMonthInterval();
                return interval(YEAR_MONTH, i.hasStartField() ? i.getStartField() : 0, i.hasEndField() ? i.getEndField() : 1);
            }
            case DAY_TIME_INTERVAL: {
                DataType.DayTimeInterval i = type.getDayTimeInterval();
                return interval(DAY_TIME, i.hasStartField() ? i.getStartField() : 0, i.hasEndField() ? i.getEndField() : 3);
            }
            case ARRAY: return "array<" + format(type.getArray().getElementType()) + ">";
            case MAP: return "map<" + format(type.getMap().getKeyType()) + "," + format(type.getMap().getValueType()) + ">";
            case STRUCT: return type.getStruct().getFieldsList().stream()
                    .map(f -> f.getName() + ":" + format(f.getDataType()))
                    .collect(Collectors.joining(",", "struct<", ">"));
            case VARIANT: return "variant";
            case UDT: return type.getUdt().hasSqlType() ? format(type.getUdt().getSqlType()) : type.getUdt().getType();
            case UNPARSED: return type.getUnparsed().getDataTypeString();
            default: return type.getKindCase().name().toLowerCase(Locale.ROOT);
        }
    }

    private static String interval(String[] fields, int start, int end) {
        return start == end ? "interval " + fields[start] : "interval " + fields[start] + " to " + fields[end];
    }

    /** Parses a type name; throws {@link IllegalArgumentException} naming what is not understood. */
    public static DataType parse(String text) {
        Parser parser = new Parser(text);
        DataType type = parser.type();
        parser.expectEnd();
        return type;
    }

    /**
     * Parses a DDL schema such as {@code id INT, name STRING NOT NULL} (the form
     * {@code spark.createDataFrame(rows, "...")} takes) into a struct type.
     */
    public static DataType parseSchema(String ddl) {
        Parser parser = new Parser(ddl);
        DataType struct = parser.fields(true);
        parser.expectEnd();
        return struct;
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text == null ? "" : text;
        }

        DataType type() {
            String name = word().toUpperCase(Locale.ROOT);
            switch (name) {
                case "BOOLEAN": return DataType.newBuilder().setBoolean(DataType.Boolean.getDefaultInstance()).build();
                case "TINYINT": case "BYTE": return DataType.newBuilder().setByte(DataType.Byte.getDefaultInstance()).build();
                case "SMALLINT": case "SHORT": return DataType.newBuilder().setShort(DataType.Short.getDefaultInstance()).build();
                case "INT": case "INTEGER": return DataType.newBuilder().setInteger(DataType.Integer.getDefaultInstance()).build();
                case "BIGINT": case "LONG": return DataType.newBuilder().setLong(DataType.Long.getDefaultInstance()).build();
                case "FLOAT": case "REAL": return DataType.newBuilder().setFloat(DataType.Float.getDefaultInstance()).build();
                case "DOUBLE": return DataType.newBuilder().setDouble(DataType.Double.getDefaultInstance()).build();
                case "STRING": return DataType.newBuilder().setString(DataType.String.getDefaultInstance()).build();
                case "BINARY": return DataType.newBuilder().setBinary(DataType.Binary.getDefaultInstance()).build();
                case "DATE": return DataType.newBuilder().setDate(DataType.Date.getDefaultInstance()).build();
                case "TIMESTAMP": case "TIMESTAMP_LTZ": return DataType.newBuilder().setTimestamp(DataType.Timestamp.getDefaultInstance()).build();
                case "TIMESTAMP_NTZ": return DataType.newBuilder().setTimestampNtz(DataType.TimestampNTZ.getDefaultInstance()).build();
                case "DECIMAL": case "DEC": case "NUMERIC": return decimal();
                case "CHAR": return DataType.newBuilder().setChar(DataType.Char.newBuilder().setLength(length(name))).build();
                case "VARCHAR": return DataType.newBuilder().setVarChar(DataType.VarChar.newBuilder().setLength(length(name))).build();
                case "ARRAY": {
                    expect('<');
                    DataType element = type();
                    expect('>');
                    return DataType.newBuilder().setArray(DataType.Array.newBuilder().setElementType(element).setContainsNull(true)).build();
                }
                case "MAP": {
                    expect('<');
                    DataType key = type();
                    expect(',');
                    DataType value = type();
                    expect('>');
                    return DataType.newBuilder().setMap(DataType.Map.newBuilder().setKeyType(key).setValueType(value)
                            .setValueContainsNull(true)).build();
                }
                case "STRUCT": {
                    expect('<');
                    DataType struct = peek('>') ? DataType.newBuilder().setStruct(DataType.Struct.getDefaultInstance()).build()
                            : fields(false);
                    expect('>');
                    return struct;
                }
                default:
                    throw new IllegalArgumentException("unknown or unsupported type '" + text.trim() + "'; use one of BOOLEAN,"
                            + " TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), STRING, CHAR(n), VARCHAR(n),"
                            + " BINARY, DATE, TIMESTAMP, TIMESTAMP_NTZ, ARRAY<T>, MAP<K,V>, STRUCT<name: T, ...>");
            }
        }

        /** {@code name[:] TYPE [NOT NULL] [COMMENT '...']}, comma separated. */
        DataType fields(boolean topLevel) {
            DataType.Struct.Builder struct = DataType.Struct.newBuilder();
            java.util.Set<String> seen = new java.util.HashSet<>();
            do {
                String name = fieldName();
                if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("column '" + name + "' appears twice in '" + text + "'");
                }
                if (peek(':')) {
                    expect(':');
                }
                DataType type = type();
                boolean nullable = true;
                if (peekWord("NOT")) {
                    word();
                    if (!word().equalsIgnoreCase("NULL")) {
                        throw new IllegalArgumentException("expected NOT NULL in '" + text + "'");
                    }
                    nullable = false;
                }
                if (peekWord("COMMENT")) {
                    word();
                    quoted('\'');
                }
                struct.addFields(DataType.StructField.newBuilder().setName(name).setDataType(type).setNullable(nullable));
            } while (comma());
            if (topLevel && struct.getFieldsCount() == 0) {
                throw new IllegalArgumentException("the schema has no columns");
            }
            return DataType.newBuilder().setStruct(struct).build();
        }

        private boolean comma() {
            if (peek(',')) {
                pos++;
                return true;
            }
            return false;
        }

        private String fieldName() {
            return peek('`') ? quoted('`') : word();
        }

        private String quoted(char quote) {
            expect(quote);
            StringBuilder name = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == quote) {
                    if (pos < text.length() && text.charAt(pos) == quote) {
                        name.append(quote);
                        pos++;
                        continue;
                    }
                    return name.toString();
                }
                name.append(c);
            }
            throw new IllegalArgumentException("unterminated " + quote + " in '" + text + "'");
        }

        private boolean peekWord(String word) {
            skipSpace();
            return text.regionMatches(true, pos, word, 0, word.length())
                    && (pos + word.length() == text.length() || !Character.isLetterOrDigit(text.charAt(pos + word.length())));
        }

        private DataType decimal() {
            int precision = 10;
            int scale = 0;
            if (peek('(')) {
                expect('(');
                precision = number();
                if (peek(',')) {
                    expect(',');
                    scale = number();
                }
                expect(')');
            }
            if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
                throw new IllegalArgumentException("DECIMAL(" + precision + "," + scale
                        + ") is out of range: precision 1..38, scale 0..precision");
            }
            return DataType.newBuilder().setDecimal(DataType.Decimal.newBuilder().setPrecision(precision).setScale(scale)).build();
        }

        private int length(String name) {
            expect('(');
            int length = number();
            expect(')');
            if (length < 1) {
                throw new IllegalArgumentException(name + " length must be positive");
            }
            return length;
        }

        private String word() {
            skipSpace();
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException("expected a type name at position " + pos + " of '" + text + "'");
            }
            return text.substring(start, pos);
        }

        private int number() {
            String word = word();
            try {
                return Integer.parseInt(word);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number but found '" + word + "' in '" + text + "'");
            }
        }

        private boolean peek(char c) {
            skipSpace();
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw new IllegalArgumentException("expected '" + c + "' at position " + pos + " of '" + text + "'");
            }
            pos++;
        }

        void expectEnd() {
            skipSpace();
            if (pos != text.length()) {
                throw new IllegalArgumentException("unexpected '" + text.substring(pos) + "' in type '" + text + "'");
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }
}
