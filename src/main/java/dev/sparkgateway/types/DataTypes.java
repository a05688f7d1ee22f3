package dev.sparkgateway.types;

import org.apache.spark.connect.proto.DataType;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Spark SQL type names to and from Spark Connect {@link DataType}: {@link #format} gives Spark's
 * own simple names ({@code decimal(10,2)}, {@code array<string>}), {@link #parse} accepts what a
 * caller writes for a typed parameter ({@code DECIMAL(10,2)}, {@code ARRAY<INT>}, {@code MAP<STRING,BIGINT>}).
 */
public final class DataTypes {

    /** Interval fields in Spark's order: a field's index is its proto {@code start_field}/{@code end_field}. */
    static final List<String> YEAR_MONTH = List.of("year", "month");
    static final List<String> DAY_TIME = List.of("day", "hour", "minute", "second");

    public static final DataType BOOLEAN = DataType.newBuilder().setBoolean(DataType.Boolean.getDefaultInstance()).build();
    public static final DataType LONG = DataType.newBuilder().setLong(DataType.Long.getDefaultInstance()).build();
    public static final DataType DOUBLE = DataType.newBuilder().setDouble(DataType.Double.getDefaultInstance()).build();
    public static final DataType STRING = DataType.newBuilder().setString(DataType.String.getDefaultInstance()).build();

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

    private static String interval(List<String> fields, int start, int end) {
        return start == end ? "interval " + fields.get(start) : "interval " + fields.get(start) + " to " + fields.get(end);
    }

    /** Parses a type name; throws {@link IllegalArgumentException} naming what is not understood. */
    public static DataType parse(String text) {
        DdlParser parser = new DdlParser(text);
        DataType type = parser.type();
        parser.expectEnd();
        return type;
    }

    /**
     * Parses a DDL schema such as {@code id INT, name STRING NOT NULL} (the form
     * {@code spark.createDataFrame(rows, "...")} takes) into a struct type.
     */
    public static DataType parseSchema(String ddl) {
        DdlParser parser = new DdlParser(ddl);
        DataType struct = parser.fields(true);
        parser.expectEnd();
        return struct;
    }
}
