package dev.sparkgateway.catalog;

import com.google.protobuf.ByteString;
import dev.sparkgateway.error.InternalException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.util.Text;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a Catalog relation's answer, decoded from Spark's Arrow batches. Catalog answers
 * are small (one row per table, column or function), so unlike query results they are read whole.
 */
final class CatalogRows {

    /** One row by column name: strings, booleans and lists of strings (a table's namespace). */
    record Row(Map<String, Object> values) {

        String string(String column) {
            Object value = values.get(column);
            return value == null ? null : value.toString();
        }

        boolean flag(String column) {
            return Boolean.TRUE.equals(values.get(column));
        }

        List<String> strings(String column) {
            Object value = values.get(column);
            if (!(value instanceof List<?> list)) {
                return List.of();
            }
            return list.stream().map(String::valueOf).toList();
        }
    }

    private CatalogRows() {
    }

    /** Appends the rows of one Arrow IPC stream (one ArrowBatch of an ExecutePlanResponse). */
    static void read(ByteString ipc, BufferAllocator allocator, List<Row> into) {
        try (BufferAllocator child = allocator.newChildAllocator("catalog-rows", 0, Long.MAX_VALUE);
                ArrowStreamReader reader = new ArrowStreamReader(ipc.newInput(), child)) {
            while (reader.loadNextBatch()) {
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                for (int i = 0; i < root.getRowCount(); i++) {
                    Map<String, Object> row = new HashMap<>();
                    for (FieldVector vector : root.getFieldVectors()) {
                        row.put(vector.getName(), plain(vector.getObject(i)));
                    }
                    into.add(new Row(row));
                }
            }
        } catch (IOException e) {
            throw InternalException.ofSpark("Spark sent an unreadable catalog answer: " + e.getMessage());
        }
    }

    /** Arrow's own value types (Text, JsonStringArrayList) as plain Java values. */
    private static Object plain(Object value) {
        if (value instanceof Text text) {
            return text.toString();
        }
        if (value instanceof List<?> list) {
            List<Object> plain = new ArrayList<>(list.size());
            list.forEach(v -> plain.add(plain(v)));
            return plain;
        }
        return value;
    }
}
