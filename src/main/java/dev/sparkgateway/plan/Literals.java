package dev.sparkgateway.plan;

import dev.sparkgateway.types.DataTypes;
import static dev.sparkgateway.plan.JsonScalars.decimal;
import static dev.sparkgateway.plan.JsonScalars.exact;
import static dev.sparkgateway.plan.JsonScalars.floating;
import static dev.sparkgateway.plan.JsonScalars.integral;
import static dev.sparkgateway.plan.JsonScalars.micros;
import static dev.sparkgateway.plan.JsonScalars.text;
import static dev.sparkgateway.plan.JsonScalars.timestamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import org.apache.spark.connect.proto.DataType;
import org.apache.spark.connect.proto.Expression;

import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON values to Spark Connect literals. A bare JSON value gets its natural type (integer → INT or
 * BIGINT, fraction → DOUBLE, text → STRING); {@code {"value": v, "type": "DECIMAL(10,2)"}} asks for
 * an exact type. Spark only binds literals to SQL parameters, so every value becomes a real literal,
 * never a cast.
 */
public final class Literals {

    private Literals() {
    }

    public static Expression fromJson(JsonNode node, String pointer) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return wrap(nullOf(DataType.newBuilder().setNull(DataType.NULL.getDefaultInstance()).build()));
        }
        if (node.isObject()) {
            JsonNode type = node.get("type");
            if (type == null || !type.isTextual()) {
                throw new PlanException(pointer, "an object parameter must be {\"value\": ..., \"type\": \"<Spark SQL type>\"}");
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("value") && !name.equals("type")) {
                    throw new PlanException(pointer + "/" + PlanException.token(name),
                            "unknown key '" + name + "'; a typed parameter has only \"value\" and \"type\"");
                }
            }
            DataType dataType;
            try {
                dataType = DataTypes.parse(type.asText());
            } catch (IllegalArgumentException e) {
                throw new PlanException(pointer + "/type", e.getMessage());
            }
            return typed(node.get("value"), dataType, pointer + "/value");
        }
        if (node.isArray()) {
            return array(node, inferElementType(node, pointer), pointer);
        }
        if (node.isBoolean()) {
            return wrap(Expression.Literal.newBuilder().setBoolean(node.booleanValue()).build());
        }
        if (node.isIntegralNumber()) {
            if (node.canConvertToInt()) {
                return wrap(Expression.Literal.newBuilder().setInteger(node.intValue()).build());
            }
            if (node.canConvertToLong()) {
                return wrap(Expression.Literal.newBuilder().setLong(node.longValue()).build());
            }
            return wrap(decimal(new BigDecimal(node.bigIntegerValue()), 38, 0, pointer));
        }
        if (node.isNumber()) {
            return wrap(Expression.Literal.newBuilder().setDouble(node.doubleValue()).build());
        }
        if (node.isTextual()) {
            return wrap(Expression.Literal.newBuilder().setString(node.textValue()).build());
        }
        throw new PlanException(pointer, "unsupported parameter value " + node.getNodeType());
    }

    private static DataType inferElementType(JsonNode array, String pointer) {
        DataType inferred = null;
        int index = 0;
        for (JsonNode element : array) {
            String at = pointer + "/" + index++;
            if (element.isNull()) {
                continue;
            }
            DataType type;
            if (element.isBoolean()) {
                type = DataTypes.BOOLEAN;
            } else if (element.isIntegralNumber() && element.canConvertToLong()) {
                type = DataTypes.LONG;
            } else if (element.isNumber()) {
                type = DataTypes.DOUBLE;
            } else if (element.isTextual()) {
                type = DataTypes.STRING;
            } else {
                throw new PlanException(at, "arrays without a type may hold only booleans, numbers or strings;"
                        + " give {\"value\": [...], \"type\": \"ARRAY<...>\"} for anything else");
            }
            if (inferred == null || (inferred.hasLong() && type.hasDouble())) {
                inferred = type;
            } else if (!inferred.equals(type) && !(inferred.hasDouble() && type.hasLong())) {
                throw new PlanException(at, "array elements mix " + DataTypes.format(inferred) + " and "
                        + DataTypes.format(type) + "; give the array a type, e.g. {\"value\": [...], \"type\": \"ARRAY<STRING>\"}");
            }
        }
        return inferred != null ? inferred : DataTypes.STRING;
    }

    /** {@code value} as {@code type}; JSON null gives a typed NULL. */
    static Expression typed(JsonNode value, DataType type, String pointer) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return wrap(nullOf(type));
        }
        if (type.hasArray()) {
            return array(value, type.getArray().getElementType(), pointer);
        }
        if (type.hasMap()) {
            return map(value, type.getMap(), pointer);
        }
        return wrap(scalar(value, type, pointer));
    }

    /** A non-null JSON value as a literal of a scalar {@code type}, with the same rules as typed parameters. */
    public static Expression.Literal scalar(JsonNode value, DataType type, String pointer) {
        Expression.Literal.Builder literal = Expression.Literal.newBuilder();
        switch (type.getKindCase()) {
            case BOOLEAN:
                if (value.isBoolean()) {
                    return literal.setBoolean(value.booleanValue()).build();
                }
                if (value.isTextual() && (value.textValue().equalsIgnoreCase("true") || value.textValue().equalsIgnoreCase("false"))) {
                    return literal.setBoolean(Boolean.parseBoolean(value.textValue())).build();
                }
                throw new PlanException(pointer, "expected true or false for BOOLEAN");
            case BYTE:
                return literal.setByte((int) integral(value, Byte.MIN_VALUE, Byte.MAX_VALUE, "TINYINT", pointer)).build();
            case SHORT:
                return literal.setShort((int) integral(value, Short.MIN_VALUE, Short.MAX_VALUE, "SMALLINT", pointer)).build();
            case INTEGER:
                return literal.setInteger((int) integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE, "INT", pointer)).build();
            case LONG:
                return literal.setLong(integral(value, Long.MIN_VALUE, Long.MAX_VALUE, "BIGINT", pointer)).build();
            case FLOAT:
                return literal.setFloat((float) floating(value, "FLOAT", pointer)).build();
            case DOUBLE:
                return literal.setDouble(floating(value, "DOUBLE", pointer)).build();
            case DECIMAL:
                return decimal(exact(value, pointer), type.getDecimal().getPrecision(), type.getDecimal().getScale(), pointer);
            case STRING:
            case CHAR:
            case VAR_CHAR:
                if (value.isContainerNode()) {
                    throw new PlanException(pointer, "expected text for " + DataTypes.format(type));
                }
                return literal.setString(value.asText()).build();
            case BINARY:
                try {
                    return literal.setBinary(ByteString.copyFrom(Base64.getDecoder().decode(text(value, "BINARY", pointer)))).build();
                } catch (IllegalArgumentException e) {
                    throw new PlanException(pointer, "BINARY values are base64 text: " + e.getMessage());
                }
            case DATE:
                try {
                    return literal.setDate((int) LocalDate.parse(text(value, "DATE", pointer)).toEpochDay()).build();
                } catch (DateTimeParseException e) {
                    throw new PlanException(pointer, "DATE values look like 2024-01-31: " + e.getMessage());
                }
            case TIMESTAMP:
                return literal.setTimestamp(micros(timestamp(text(value, "TIMESTAMP", pointer), pointer))).build();
            case TIMESTAMP_NTZ:
                try {
                    return literal.setTimestampNtz(micros(LocalDateTime.parse(text(value, "TIMESTAMP_NTZ", pointer))
                            .toInstant(ZoneOffset.UTC))).build();
                } catch (DateTimeParseException e) {
                    throw new PlanException(pointer, "TIMESTAMP_NTZ values look like 2024-01-31T12:00:00: " + e.getMessage());
                }
            default:
                throw new PlanException(pointer, "values of type " + DataTypes.format(type) + " are not supported here");
        }
    }

    /**
     * Spark reads a null inside an array or map literal as 0, so collections holding nulls (or
     * nested collections built that way) go as array()/map() calls of literals, which Spark also
     * accepts as parameter values.
     */
    private static Expression array(JsonNode value, DataType elementType, String pointer) {
        if (!value.isArray()) {
            throw new PlanException(pointer, "expected a JSON array for ARRAY<" + DataTypes.format(elementType) + ">");
        }
        List<Expression> elements = new ArrayList<>();
        int index = 0;
        for (JsonNode element : value) {
            elements.add(typed(element, elementType, pointer + "/" + index++));
        }
        if (elements.isEmpty() || !allPlainLiterals(elements)) {
            return elements.isEmpty() ? wrap(Expression.Literal.newBuilder().setArray(
                    Expression.Literal.Array.newBuilder().setElementType(elementType)).build()) : call("array", elements);
        }
        Expression.Literal.Array.Builder array = Expression.Literal.Array.newBuilder().setElementType(elementType);
        elements.forEach(e -> array.addElements(e.getLiteral()));
        return wrap(Expression.Literal.newBuilder().setArray(array).build());
    }

    private static Expression map(JsonNode value, DataType.Map type, String pointer) {
        if (!value.isObject()) {
            throw new PlanException(pointer, "expected a JSON object for " + DataTypes.format(DataType.newBuilder().setMap(type).build()));
        }
        List<Expression> keys = new ArrayList<>();
        List<Expression> values = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String at = pointer + "/" + PlanException.token(field.getKey());
            keys.add(typed(TextNode.valueOf(field.getKey()), type.getKeyType(), at));
            values.add(typed(field.getValue(), type.getValueType(), at));
        }
        if (keys.isEmpty() || allPlainLiterals(values)) {
            Expression.Literal.Map.Builder map = Expression.Literal.Map.newBuilder()
                    .setKeyType(type.getKeyType()).setValueType(type.getValueType());
            keys.forEach(k -> map.addKeys(k.getLiteral()));
            values.forEach(v -> map.addValues(v.getLiteral()));
            return wrap(Expression.Literal.newBuilder().setMap(map).build());
        }
        List<Expression> arguments = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            arguments.add(keys.get(i));
            arguments.add(values.get(i));
        }
        return call("map", arguments);
    }

    /** Literals Spark reads back faithfully inside a collection literal: present, non-null values. */
    private static boolean allPlainLiterals(List<Expression> expressions) {
        return expressions.stream().allMatch(e -> e.hasLiteral() && !e.getLiteral().hasNull());
    }

    private static Expression call(String function, List<Expression> arguments) {
        return Expression.newBuilder().setUnresolvedFunction(Expression.UnresolvedFunction.newBuilder()
                .setFunctionName(function).addAllArguments(arguments)).build();
    }

    private static Expression wrap(Expression.Literal literal) {
        return Expression.newBuilder().setLiteral(literal).build();
    }

    private static Expression.Literal nullOf(DataType type) {
        return Expression.Literal.newBuilder().setNull(type).build();
    }
}
