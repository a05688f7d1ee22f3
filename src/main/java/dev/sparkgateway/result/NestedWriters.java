package dev.sparkgateway.result;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.dictionary.DictionaryProvider;

/** Arrays, structs and maps; child writers are built once per batch alongside the parent. */
final class NestedWriters {

    private NestedWriters() {
    }

    static ValueWriter create(ValueVector v, DictionaryProvider dictionaries) {
        // MapVector extends ListVector, so it must be checked first.
        if (v instanceof MapVector m) {
            return new MapWriter(m, dictionaries);
        } else if (v instanceof ListVector l) {
            return new ArrayWriter(v, ValueWriter.forVector(l.getDataVector(), dictionaries),
                    l::getElementStartIndex, l::getElementEndIndex);
        } else if (v instanceof LargeListVector l) {
            return new ArrayWriter(v, ValueWriter.forVector(l.getDataVector(), dictionaries),
                    l::getElementStartIndex, l::getElementEndIndex);
        } else if (v instanceof FixedSizeListVector l) {
            int size = l.getListSize();
            return new ArrayWriter(v, ValueWriter.forVector(l.getDataVector(), dictionaries),
                    row -> (long) row * size, row -> (long) row * size + size);
        } else if (v instanceof StructVector s) {
            return new StructWriter(s, dictionaries);
        }
        return null;
    }

    /** Any of Arrow's list layouts: they differ only in where a row's elements start and end. */
    static final class ArrayWriter extends ValueWriter.JsonTextWriter {
        private final ValueWriter elements;
        private final IntToLongFunction start;
        private final IntToLongFunction end;

        ArrayWriter(ValueVector v, ValueWriter elements, IntToLongFunction start, IntToLongFunction end) {
            super(v);
            this.elements = elements;
            this.start = start;
            this.end = end;
        }

        @Override
        void json(int row, JsonGenerator gen) throws IOException {
            int start = Math.toIntExact(this.start.applyAsLong(row));
            int end = Math.toIntExact(this.end.applyAsLong(row));
            gen.writeStartArray(null, end - start);
            for (int i = start; i < end; i++) {
                elements.writeJson(i, gen);
            }
            gen.writeEndArray();
        }
    }

    static final class StructWriter extends ValueWriter.JsonTextWriter {
        private final SerializedString[] names;
        private final ValueWriter[] fields;

        StructWriter(StructVector struct, DictionaryProvider dictionaries) {
            super(struct);
            List<FieldVector> children = struct.getChildrenFromFields();
            names = new SerializedString[children.size()];
            fields = new ValueWriter[children.size()];
            for (int i = 0; i < fields.length; i++) {
                FieldVector child = children.get(i);
                names[i] = new SerializedString(child.getName());
                fields[i] = ValueWriter.forVector(child, dictionaries);
            }
        }

        @Override
        void json(int row, JsonGenerator gen) throws IOException {
            gen.writeStartObject();
            for (int i = 0; i < fields.length; i++) {
                gen.writeFieldName(names[i]);
                fields[i].writeJson(row, gen);
            }
            gen.writeEndObject();
        }
    }

    /** JSON object keys must be strings, so keys use their text form (a SQL NULL key becomes "null"). */
    static final class MapWriter extends ValueWriter.JsonTextWriter {
        private final MapVector map;
        private final ValueWriter keys;
        private final ValueWriter values;
        private final TextBuffer keyText = new TextBuffer();

        MapWriter(MapVector map, DictionaryProvider dictionaries) {
            super(map);
            this.map = map;
            List<FieldVector> entry = ((StructVector) map.getDataVector()).getChildrenFromFields();
            this.keys = ValueWriter.forVector(entry.get(0), dictionaries);
            this.values = ValueWriter.forVector(entry.get(1), dictionaries);
        }

        @Override
        void json(int row, JsonGenerator gen) throws IOException {
            int end = map.getElementEndIndex(row);
            gen.writeStartObject();
            for (int i = map.getElementStartIndex(row); i < end; i++) {
                boolean present = keys.writeText(i, keyText.reset());
                gen.writeFieldName(present ? keyText.toString() : "null");
                values.writeJson(i, gen);
            }
            gen.writeEndObject();
        }
    }
}
