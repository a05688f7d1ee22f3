package dev.sparkgateway.types;

import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.spark.connect.proto.DataType;

import java.util.List;

/**
 * Spark Connect types to the Arrow fields Spark's {@code ArrowUtils.toArrowField} gives them, so a
 * schema the gateway writes itself (a result with no batches) matches the one Spark would have sent.
 */
final class ArrowTypes {

    /**
     * Spark stamps timestamp vectors with the session time zone; an empty result has no vector to
     * read it from, and the instant is the same in any zone, so UTC stands in for it.
     */
    private static final String SESSION_TIME_ZONE = "UTC";

    private ArrowTypes() {
    }

    static Field field(String name, DataType type, boolean nullable) {
        switch (type.getKindCase()) {
            case ARRAY: {
                DataType.Array array = type.getArray();
                return new Field(name, new FieldType(nullable, ArrowType.List.INSTANCE, null),
                        List.of(field("element", array.getElementType(), array.getContainsNull())));
            }
            case STRUCT:
                return new Field(name, new FieldType(nullable, ArrowType.Struct.INSTANCE, null), type.getStruct().getFieldsList()
                        .stream().map(f -> field(f.getName(), f.getDataType(), f.getNullable())).toList());
            case MAP: {
                DataType.Map map = type.getMap();
                Field entries = new Field(MapVector.DATA_VECTOR_NAME, new FieldType(false, ArrowType.Struct.INSTANCE, null),
                        List.of(field(MapVector.KEY_NAME, map.getKeyType(), false),
                                field(MapVector.VALUE_NAME, map.getValueType(), map.getValueContainsNull())));
                return new Field(name, new FieldType(nullable, new ArrowType.Map(false), null), List.of(entries));
            }
            case UDT:
                if (type.getUdt().hasSqlType()) {
                    return field(name, type.getUdt().getSqlType(), nullable);
                }
                break;
            default:
                break;
        }
        return new Field(name, new FieldType(nullable, scalar(type), null), null);
    }

    private static ArrowType scalar(DataType type) {
        switch (type.getKindCase()) {
            case NULL: return ArrowType.Null.INSTANCE;
            case BOOLEAN: return ArrowType.Bool.INSTANCE;
            case BYTE: return new ArrowType.Int(8, true);
            case SHORT: return new ArrowType.Int(16, true);
            case INTEGER: return new ArrowType.Int(32, true);
            case LONG: return new ArrowType.Int(64, true);
            case FLOAT: return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case DOUBLE: return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case DECIMAL: {
                DataType.Decimal d = type.getDecimal();
                return new ArrowType.Decimal(d.hasPrecision() ? d.getPrecision() : 10, d.hasScale() ? d.getScale() : 0, 128);
            }
            case BINARY: return ArrowType.Binary.INSTANCE;
            case DATE: return new ArrowType.Date(DateUnit.DAY);
            case TIMESTAMP: return new ArrowType.Timestamp(TimeUnit.MICROSECOND, SESSION_TIME_ZONE);
            case TIMESTAMP_NTZ: return new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
            case YEAR_MONTH_INTERVAL: return new ArrowType.Interval(IntervalUnit.YEAR_MONTH);
            case DAY_TIME_INTERVAL: return new ArrowType.Duration(TimeUnit.MICROSECOND);
            case CALENDAR_INTERVAL: return new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO);
            // strings, char/varchar (Spark sends them as strings) and what has no Arrow form of its own
            default: return ArrowType.Utf8.INSTANCE;
        }
    }
}
