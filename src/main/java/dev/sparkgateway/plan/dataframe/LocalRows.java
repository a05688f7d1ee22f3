package dev.sparkgateway.plan.dataframe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import dev.sparkgateway.plan.Literals;
import dev.sparkgateway.plan.PlanException;
import dev.sparkgateway.types.DataTypes;
import dev.sparkgateway.types.SparkType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.connect.proto.DataType;
import org.apache.spark.connect.proto.Expression;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inline JSON rows as the Arrow IPC stream a Spark Connect {@code LocalRelation} carries. Values
 * follow the same rules as typed SQL parameters (dates as {@code 2024-01-31}, decimals as strings or
 * numbers, binary as base64); rows are arrays in schema order or objects keyed by column name.
 */
final class LocalRows {

    private LocalRows() {
    }

    static ByteString toArrow(DataType struct, List<JsonNode> rows, String at) {
        List<DataType.StructField> columns = struct.getStruct().getFieldsList();
        List<Field> fields = new ArrayList<>();
        for (DataType.StructField column : columns) {
            fields.add(field(column.getName(), column.getDataType(), column.getNullable()));
        }
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator)) {
            root.allocateNew();
            for (int i = 0; i < rows.size(); i++) {
                writeStruct(root.getFieldVectors(), columns, i, rows.get(i), at + "/" + i);
            }
            root.setRowCount(rows.size());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
                writer.start();
                writer.writeBatch();
                writer.end();
            }
            return ByteString.copyFrom(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kinds {@link #writeScalar} and {@link #write} can fill in. */
    private static final Set<DataType.KindCase> WRITABLE = EnumSet.of(DataType.KindCase.BOOLEAN, DataType.KindCase.BYTE,
            DataType.KindCase.SHORT, DataType.KindCase.INTEGER, DataType.KindCase.LONG, DataType.KindCase.FLOAT,
            DataType.KindCase.DOUBLE, DataType.KindCase.DECIMAL, DataType.KindCase.STRING, DataType.KindCase.CHAR,
            DataType.KindCase.VAR_CHAR, DataType.KindCase.BINARY, DataType.KindCase.DATE, DataType.KindCase.TIMESTAMP,
            DataType.KindCase.TIMESTAMP_NTZ, DataType.KindCase.ARRAY, DataType.KindCase.MAP, DataType.KindCase.STRUCT);

    private static Field field(String name, DataType type, boolean nullable) {
        requireWritable(type);
        return new SparkType(type).arrowField(name, nullable);
    }

    private static void requireWritable(DataType type) {
        if (!WRITABLE.contains(type.getKindCase())) {
            throw new IllegalArgumentException("type " + DataTypes.format(type) + " is not supported in inline rows");
        }
        switch (type.getKindCase()) {
            case ARRAY -> requireWritable(type.getArray().getElementType());
            case MAP -> {
                requireWritable(type.getMap().getKeyType());
                requireWritable(type.getMap().getValueType());
            }
            case STRUCT -> type.getStruct().getFieldsList().forEach(f -> requireWritable(f.getDataType()));
            default -> { }
        }
    }

    private static void writeStruct(List<? extends ValueVector> children, List<DataType.StructField> fields, int index,
            JsonNode row, String at) {
        if (row.isArray()) {
            if (row.size() != fields.size()) {
                throw new PlanException(at, "expected " + fields.size() + " values (one per column), got " + row.size());
            }
            for (int c = 0; c < fields.size(); c++) {
                write(children.get(c), fields.get(c), index, row.get(c), at + "/" + c);
            }
            return;
        }
        if (!row.isObject()) {
            throw new PlanException(at, "expected an array of values or an object of column → value, got " + At.describe(row));
        }
        for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (fields.stream().noneMatch(f -> f.getName().equalsIgnoreCase(name))) {
                throw new PlanException(at + "/" + PlanException.token(name), "no column '" + name + "' in the schema");
            }
        }
        for (int c = 0; c < fields.size(); c++) {
            String name = fields.get(c).getName();
            JsonNode value = row.get(name);
            if (value == null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext() && value == null; ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    value = e.getKey().equalsIgnoreCase(name) ? e.getValue() : null;
                }
            }
            write(children.get(c), fields.get(c), index, value, at + "/" + PlanException.token(name));
        }
    }

    private static void write(ValueVector vector, DataType.StructField field, int index, JsonNode value, String at) {
        if (value == null || value.isNull()) {
            if (!field.getNullable()) {
                throw new PlanException(at, "column '" + field.getName() + "' is NOT NULL");
            }
            setNull(vector, index);
            return;
        }
        DataType type = field.getDataType();
        switch (type.getKindCase()) {
            case ARRAY: {
                if (!value.isArray()) {
                    throw new PlanException(at, "expected a JSON array for " + DataTypes.format(type));
                }
                ListVector list = (ListVector) vector;
                int start = list.startNewValue(index);
                DataType.StructField element = DataType.StructField.newBuilder().setName("element")
                        .setDataType(type.getArray().getElementType()).setNullable(true).build();
                for (int k = 0; k < value.size(); k++) {
                    write(list.getDataVector(), element, start + k, value.get(k), at + "/" + k);
                }
                list.endValue(index, value.size());
                return;
            }
            case MAP: {
                if (!value.isObject()) {
                    throw new PlanException(at, "expected a JSON object for " + DataTypes.format(type));
                }
                MapVector map = (MapVector) vector;
                StructVector entries = (StructVector) map.getDataVector();
                DataType.StructField key = DataType.StructField.newBuilder().setName("key")
                        .setDataType(type.getMap().getKeyType()).setNullable(false).build();
                DataType.StructField val = DataType.StructField.newBuilder().setName("value")
                        .setDataType(type.getMap().getValueType()).setNullable(true).build();
                int start = map.startNewValue(index);
                int k = 0;
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); k++) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String entryAt = at + "/" + PlanException.token(e.getKey());
                    entries.setIndexDefined(start + k);
                    write(entries.getChildByOrdinal(0), key, start + k, TextNode.valueOf(e.getKey()), entryAt);
                    write(entries.getChildByOrdinal(1), val, start + k, e.getValue(), entryAt);
                }
                map.endValue(index, k);
                return;
            }
            case STRUCT: {
                StructVector struct = (StructVector) vector;
                struct.setIndexDefined(index);
                List<ValueVector> children = new ArrayList<>();
                for (int c = 0; c < struct.size(); c++) {
                    children.add(struct.getChildByOrdinal(c));
                }
                writeStruct(children, type.getStruct().getFieldsList(), index, value, at);
                return;
            }
            default:
                writeScalar(vector, index, Literals.scalar(value, type, at), type);
        }
    }

    private static void writeScalar(ValueVector vector, int index, Expression.Literal literal, DataType type) {
        switch (type.getKindCase()) {
            case BOOLEAN: ((BitVector) vector).setSafe(index, literal.getBoolean() ? 1 : 0); break;
            case BYTE: ((TinyIntVector) vector).setSafe(index, literal.getByte()); break;
            case SHORT: ((SmallIntVector) vector).setSafe(index, literal.getShort()); break;
            case INTEGER: ((IntVector) vector).setSafe(index, literal.getInteger()); break;
            case LONG: ((BigIntVector) vector).setSafe(index, literal.getLong()); break;
            case FLOAT: ((Float4Vector) vector).setSafe(index, literal.getFloat()); break;
            case DOUBLE: ((Float8Vector) vector).setSafe(index, literal.getDouble()); break;
            case DECIMAL:
                ((DecimalVector) vector).setSafe(index, new BigDecimal(literal.getDecimal().getValue())
                        .setScale(type.getDecimal().getScale(), RoundingMode.UNNECESSARY));
                break;
            case STRING: case CHAR: case VAR_CHAR:
                ((VarCharVector) vector).setSafe(index, literal.getString().getBytes(StandardCharsets.UTF_8));
                break;
            case BINARY: ((VarBinaryVector) vector).setSafe(index, literal.getBinary().toByteArray()); break;
            case DATE: ((DateDayVector) vector).setSafe(index, literal.getDate()); break;
            case TIMESTAMP: ((TimeStampMicroTZVector) vector).setSafe(index, literal.getTimestamp()); break;
            case TIMESTAMP_NTZ: ((TimeStampMicroVector) vector).setSafe(index, literal.getTimestampNtz()); break;
            default:
                throw new IllegalStateException("no Arrow writer for " + type.getKindCase());
        }
    }

    private static void setNull(ValueVector vector, int index) {
        if (vector instanceof BaseFixedWidthVector fixed) {
            fixed.setNull(index);
        } else if (vector instanceof BaseVariableWidthVector variable) {
            variable.setNull(index);
        } else if (vector instanceof ListVector list) {
            list.setNull(index);
        } else if (vector instanceof StructVector struct) {
            struct.setNull(index);
        } else {
            ((FieldVector) vector).setNull(index);
        }
    }
}
