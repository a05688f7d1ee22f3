package dev.sparkgateway.result;

import static dev.sparkgateway.result.JsonValueWriterScalarTest.assertWritten;
import static dev.sparkgateway.result.JsonValueWriterScalarTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JsonValueWriterNestedTest {

    static final ArrowType INT = new ArrowType.Int(32, true);

    @RegisterExtension
    final ArrowMemory memory = new ArrowMemory();
    private final RootAllocator allocator = memory.allocator();

    static Field field(String name, ArrowType type, Field... children) {
        return new Field(name, FieldType.nullable(type), children.length == 0 ? null : List.of(children));
    }

    static Field mapField(String name, Field key, Field value) {
        Field entries = new Field("entries", FieldType.notNullable(ArrowType.Struct.INSTANCE), List.of(
                new Field("key", FieldType.notNullable(key.getType()), key.getChildren()),
                new Field("value", value.getFieldType(), value.getChildren())));
        return new Field(name, FieldType.nullable(new ArrowType.Map(false)), List.of(entries));
    }

    static void set(VarCharVector v, int i, String s) {
        v.setSafe(i, s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void arraysWithNullElementsAndNullArrays() {
        try (ListVector list = (ListVector) field("a", ArrowType.List.INSTANCE, field("element", INT)).createVector(allocator)) {
            IntVector data = (IntVector) list.getDataVector();
            list.startNewValue(0);
            data.setSafe(0, 1);
            data.setNull(1);
            data.setSafe(2, 3);
            list.endValue(0, 3);
            list.setNull(1);
            list.startNewValue(2);
            list.endValue(2, 0);
            data.setValueCount(3);
            list.setValueCount(3);
            assertWritten(list, "[1,null,3]", null, "[]");
        }
    }

    @Test
    void largeAndFixedSizeLists() {
        try (LargeListVector large = (LargeListVector) field("l", ArrowType.LargeList.INSTANCE,
                field("element", ArrowType.Utf8.INSTANCE)).createVector(allocator);
             FixedSizeListVector fixed = (FixedSizeListVector) field("f", new ArrowType.FixedSizeList(2),
                     field("element", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))).createVector(allocator)) {
            VarCharVector strings = (VarCharVector) large.getDataVector();
            large.startNewValue(0);
            set(strings, 0, "x,\"y\"");
            set(strings, 1, "");
            large.endValue(0, 2);
            strings.setValueCount(2);
            large.setValueCount(1);
            assertEquals(List.of("[\"x,\\\"y\\\"\",\"\"]"), json(large));

            Float8Vector doubles = (Float8Vector) fixed.getDataVector();
            fixed.startNewValue(0);
            doubles.setSafe(0, 1.5);
            doubles.setSafe(1, Double.NaN);
            fixed.setNull(1);
            doubles.setNull(2);
            doubles.setNull(3);
            doubles.setValueCount(4);
            fixed.setValueCount(2);
            assertEquals(List.of("[1.5,\"NaN\"]", "null"), json(fixed));
        }
    }

    @Test
    void structsAreObjectsInFieldOrder() {
        Field f = field("s", ArrowType.Struct.INSTANCE, field("b", ArrowType.Utf8.INSTANCE), field("a", INT));
        try (StructVector struct = (StructVector) f.createVector(allocator)) {
            VarCharVector b = (VarCharVector) struct.getChild("b");
            IntVector a = (IntVector) struct.getChild("a");
            struct.setIndexDefined(0);
            set(b, 0, "x");
            a.setSafe(0, 1);
            struct.setIndexDefined(1);
            set(b, 1, "y");
            a.setNull(1);
            struct.setNull(2);
            b.setNull(2);
            a.setNull(2);
            b.setValueCount(3);
            a.setValueCount(3);
            struct.setValueCount(3);
            assertWritten(struct, "{\"b\":\"x\",\"a\":1}", "{\"b\":\"y\",\"a\":null}", null);
        }
    }

    @Test
    void mapsAreObjectsWithTextKeys() {
        Field f = mapField("m", field("key", INT), field("value", ArrowType.Utf8.INSTANCE));
        try (MapVector map = (MapVector) f.createVector(allocator)) {
            StructVector entries = (StructVector) map.getDataVector();
            IntVector keys = (IntVector) entries.getChild("key");
            VarCharVector values = (VarCharVector) entries.getChild("value");
            map.startNewValue(0);
            entries.setIndexDefined(0);
            keys.setSafe(0, 1);
            set(values, 0, "a");
            entries.setIndexDefined(1);
            keys.setSafe(1, -2);
            values.setNull(1);
            map.endValue(0, 2);
            map.startNewValue(1);
            map.endValue(1, 0);
            map.setNull(2);
            keys.setValueCount(2);
            values.setValueCount(2);
            entries.setValueCount(2);
            map.setValueCount(3);
            assertWritten(map, "{\"1\":\"a\",\"-2\":null}", "{}", null);
        }
    }

    @Test
    void deeplyNestedArrayOfStructsWithMaps() {
        // array<struct<d:date, tags:map<date,array<int>>>>
        Field tags = mapField("tags", field("key", new ArrowType.Date(DateUnit.DAY)),
                field("value", ArrowType.List.INSTANCE, field("element", INT)));
        Field f = field("a", ArrowType.List.INSTANCE,
                field("element", ArrowType.Struct.INSTANCE, field("d", new ArrowType.Date(DateUnit.DAY)), tags));
        int day = (int) LocalDate.of(2024, 1, 31).toEpochDay();
        try (ListVector list = (ListVector) f.createVector(allocator)) {
            StructVector struct = (StructVector) list.getDataVector();
            DateDayVector d = (DateDayVector) struct.getChild("d");
            MapVector map = (MapVector) struct.getChild("tags");
            StructVector entries = (StructVector) map.getDataVector();
            DateDayVector keys = (DateDayVector) entries.getChild("key");
            ListVector values = (ListVector) entries.getChild("value");
            IntVector ints = (IntVector) values.getDataVector();

            list.startNewValue(0);
            struct.setIndexDefined(0);
            d.setSafe(0, day);
            map.startNewValue(0);
            entries.setIndexDefined(0);
            keys.setSafe(0, day - 1);
            values.startNewValue(0);
            ints.setSafe(0, 7);
            ints.setNull(1);
            values.endValue(0, 2);
            map.endValue(0, 1);
            struct.setNull(1);
            d.setNull(1);
            map.setNull(1);
            list.endValue(0, 2);
            ints.setValueCount(2);
            values.setValueCount(1);
            keys.setValueCount(1);
            entries.setValueCount(1);
            map.setValueCount(2);
            d.setValueCount(2);
            struct.setValueCount(2);
            list.setValueCount(1);

            assertWritten(list, "[{\"d\":\"2024-01-31\",\"tags\":{\"2024-01-30\":[7,null]}},null]");
        }
    }
}
