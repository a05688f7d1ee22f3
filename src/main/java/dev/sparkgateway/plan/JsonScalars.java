package dev.sparkgateway.plan;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.connect.proto.Expression;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** One JSON scalar read as the exact value a Spark type needs, or a {@link PlanException} saying why not. */
final class JsonScalars {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private JsonScalars() {
    }

    static long integral(JsonNode value, long min, long max, String typeName, String pointer) {
        BigDecimal number = exact(value, pointer);
        BigInteger integer;
        try {
            integer = number.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new PlanException(pointer, typeName + " needs a whole number, got " + number.toPlainString());
        }
        if (integer.compareTo(BigInteger.valueOf(min)) < 0 || integer.compareTo(BigInteger.valueOf(max)) > 0
                || integer.compareTo(LONG_MIN) < 0 || integer.compareTo(LONG_MAX) > 0) {
            throw new PlanException(pointer, integer + " is out of range for " + typeName + " (" + min + ".." + max + ")");
        }
        return integer.longValue();
    }

    static double floating(JsonNode value, String typeName, String pointer) {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            switch (value.textValue()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(value.textValue());
                    } catch (NumberFormatException e) {
                        // reported below
                    }
            }
        }
        throw new PlanException(pointer, "expected a number, \"NaN\", \"Infinity\" or \"-Infinity\" for " + typeName);
    }

    /** Numbers keep their exact digits: give large or precise values as strings to stay clear of JSON doubles. */
    static BigDecimal exact(JsonNode value, String pointer) {
        try {
            if (value.isNumber()) {
                return value.decimalValue();
            }
            if (value.isTextual()) {
                return new BigDecimal(value.textValue().trim());
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PlanException(pointer, "expected a number (or a string holding one), got " + value);
    }

    static Expression.Literal decimal(BigDecimal value, int precision, int scale, String pointer) {
        BigDecimal scaled;
        try {
            scaled = value.setScale(scale);
        } catch (ArithmeticException e) {
            throw new PlanException(pointer, value.toPlainString() + " has more than " + scale + " decimal places for DECIMAL("
                    + precision + "," + scale + ")");
        }
        if (scaled.precision() - scaled.scale() > precision - scale) {
            throw new PlanException(pointer, value.toPlainString() + " does not fit DECIMAL(" + precision + "," + scale + ")");
        }
        return Expression.Literal.newBuilder().setDecimal(Expression.Literal.Decimal.newBuilder()
                .setValue(scaled.toPlainString()).setPrecision(precision).setScale(scale)).build();
    }

    static String text(JsonNode value, String typeName, String pointer) {
        if (!value.isTextual()) {
            throw new PlanException(pointer, "expected a string for " + typeName);
        }
        return value.textValue();
    }

    /** TIMESTAMP text with an offset is exact; without one it is taken as UTC (documented). */
    static Instant timestamp(String text, String pointer) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new PlanException(pointer, "TIMESTAMP values look like 2024-01-31T12:00:00Z: " + e.getMessage());
            }
        }
    }

    /** Rounds down like Spark does (ChronoUnit.between would round pre-1970 instants up). */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }
}
