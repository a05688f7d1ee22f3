package dev.sparkgateway.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Maps Spark SQL type names to the Arrow types Spark uses for them. Only needed when a result has no
 * batches at all, so nested and unusual types simply fall back to Utf8.
 */
final class SparkArrowTypes {

    private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+)\\s*,\\s*(\\d+)\\)");

    private SparkArrowTypes() {
    }

    static Schema schema(List<ResultColumn> columns) {
        List<Field> fields = new ArrayList<>(columns.size());
        for (ResultColumn c : columns) {
            fields.add(new Field(c.name(), new FieldType(c.nullable(), arrowType(c.type()), null), null));
        }
        return new Schema(fields);
    }

    static ArrowType arrowType(String sparkType) {
        String t = sparkType.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "boolean":
                return ArrowType.Bool.INSTANCE;
            case "tinyint":
            case "byte":
                return new ArrowType.Int(8, true);
            case "smallint":
            case "short":
                return new ArrowType.Int(16, true);
            case "int":
            case "integer":
                return new ArrowType.Int(32, true);
            case "bigint":
            case "long":
                return new ArrowType.Int(64, true);
            case "float":
            case "real":
                return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case "double":
                return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case "binary":
                return ArrowType.Binary.INSTANCE;
            case "date":
                return new ArrowType.Date(DateUnit.DAY);
            case "timestamp":
            case "timestamp_ltz":
                return new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
            case "timestamp_ntz":
                return new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
            case "void":
            case "null":
                return ArrowType.Null.INSTANCE;
            case "decimal":
                return new ArrowType.Decimal(10, 0, 128);
            default:
                break;
        }
        Matcher decimal = DECIMAL.matcher(t);
        if (decimal.matches()) {
            return new ArrowType.Decimal(Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)), 128);
        }
        if (t.startsWith("interval ")) {
            boolean yearMonth = t.contains("year") || t.contains("month");
            return yearMonth ? new ArrowType.Interval(IntervalUnit.YEAR_MONTH) : new ArrowType.Duration(TimeUnit.MICROSECOND);
        }
        return ArrowType.Utf8.INSTANCE;
    }
}
