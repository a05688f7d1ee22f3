package dev.sparkgateway.types;

import org.apache.spark.connect.proto.DataType;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A recursive-descent reader of Spark SQL type names and DDL field lists. */
final class DdlParser {
    /** Deeper nesting than any real schema; stops a hostile type string from exhausting the stack. */
    private static final int MAX_DEPTH = 64;
    private final String text;
    private int pos;
    private int depth;

    DdlParser(String text) {
        this.text = text == null ? "" : text;
    }

    DataType type() {
        if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException("types nest deeper than " + MAX_DEPTH + " levels in '" + abbreviated() + "'");
        }
        try {
            return namedType();
        } finally {
            depth--;
        }
    }

    private String abbreviated() {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    private DataType namedType() {
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
            case "VOID": return DataType.newBuilder().setNull(DataType.NULL.getDefaultInstance()).build();
            case "VARIANT": return DataType.newBuilder().setVariant(DataType.Variant.getDefaultInstance()).build();
            case "INTERVAL": return interval();
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
                        + " BINARY, DATE, TIMESTAMP, TIMESTAMP_NTZ, INTERVAL YEAR TO MONTH, INTERVAL DAY TO SECOND,"
                        + " ARRAY<T>, MAP<K,V>, STRUCT<name: T, ...>");
        }
    }

    /** {@code INTERVAL} alone (calendar), or {@code INTERVAL start [TO end]} over year-month or day-time fields. */
    private DataType interval() {
        int start = intervalField();
        if (start < 0) {
            return DataType.newBuilder().setCalendarInterval(DataType.CalendarInterval.getDefaultInstance()).build();
        }
        String startName = word().toLowerCase(Locale.ROOT);
        int end = start;
        if (peekWord("TO")) {
            word();
            end = intervalField();
            String endName = end < 0 ? "" : word().toLowerCase(Locale.ROOT);
            boolean sameFamily = DataTypes.YEAR_MONTH.contains(startName) == DataTypes.YEAR_MONTH.contains(endName);
            if (end < start || !sameFamily) {
                throw new IllegalArgumentException("INTERVAL " + startName.toUpperCase(Locale.ROOT) + " TO ... in '"
                        + text.trim() + "' must end in a later field of the same kind (YEAR TO MONTH, DAY TO SECOND, ...)");
            }
        }
        return DataTypes.YEAR_MONTH.contains(startName)
                ? DataType.newBuilder().setYearMonthInterval(DataType.YearMonthInterval.newBuilder()
                        .setStartField(start).setEndField(end)).build()
                : DataType.newBuilder().setDayTimeInterval(DataType.DayTimeInterval.newBuilder()
                        .setStartField(start).setEndField(end)).build();
    }

    /** The index of the interval field that comes next (without reading it), or -1 when none does. */
    private int intervalField() {
        for (List<String> fields : List.of(DataTypes.YEAR_MONTH, DataTypes.DAY_TIME)) {
            for (int i = 0; i < fields.size(); i++) {
                if (peekWord(fields.get(i))) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** {@code name[:] TYPE [NOT NULL] [COMMENT '...']}, comma separated. */
    DataType fields(boolean topLevel) {
        DataType.Struct.Builder struct = DataType.Struct.newBuilder();
        Set<String> seen = new HashSet<>();
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
