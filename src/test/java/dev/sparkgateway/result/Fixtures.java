package dev.sparkgateway.result;

import com.google.protobuf.ByteString;
import dev.sparkgateway.types.SparkType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Builds Spark-shaped results: every chunk is its own schema + batch + end-of-stream IPC stream. */
final class Fixtures {

    static final List<ResultColumn> ID_NAME = List.of(
            column("id", "bigint", false), column("name", "string", true));

    /** A column of the Spark type written as Spark names it, e.g. {@code "decimal(10,2)"}. */
    static ResultColumn column(String name, String sparkType, boolean nullable) {
        return new ResultColumn(name, SparkType.parse(sparkType), nullable);
    }

    static final Function<Throwable, Map<String, Object>> PROBLEM = t -> Map.of(
            "type", "about:blank", "title", "Spark failed", "status", 502, "detail", String.valueOf(t.getMessage()));

    private Fixtures() {
    }

    static ByteString ipc(VectorSchemaRoot root) {
        return ipc(root, null, IpcOption.DEFAULT);
    }

    static ByteString ipc(VectorSchemaRoot root, DictionaryProvider dictionaries, IpcOption option) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ArrowStreamWriter writer = new ArrowStreamWriter(root, dictionaries, Channels.newChannel(bytes), option)) {
            writer.start();
            writer.writeBatch();
            writer.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteString.copyFrom(bytes.toByteArray());
    }

    static ArrowChunk chunk(VectorSchemaRoot root) {
        return new ArrowChunk(ipc(root), root.getRowCount(), root.getRowCount());
    }

    /** Rows {@code first..first+rows-1}: id = row number, name = "n<id>" or NULL when id % 5 == 0. */
    static ArrowChunk idNameChunk(BufferAllocator allocator, long first, int rows, long keepRows) {
        Schema schema = new Schema(List.of(
                new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
                new Field("name", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            BigIntVector id = (BigIntVector) root.getVector("id");
            VarCharVector name = (VarCharVector) root.getVector("name");
            for (int i = 0; i < rows; i++) {
                long v = first + i;
                id.setSafe(i, v);
                if (v % 5 == 0) {
                    name.setNull(i);
                } else {
                    name.setSafe(i, ("n" + v).getBytes(StandardCharsets.UTF_8));
                }
            }
            root.setRowCount(rows);
            return new ArrowChunk(ipc(root), rows, keepRows);
        }
    }

    static ArrowChunk idNameChunk(BufferAllocator allocator, long first, int rows) {
        return idNameChunk(allocator, first, rows, rows);
    }

    /** The rows of {@link #idNameChunk} {@code from..to-1} as "id:name" strings, NULL for a null name. */
    static List<String> idNameRows(long from, long to) {
        List<String> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(i + ":" + (i % 5 == 0 ? "NULL" : "n" + i));
        }
        return out;
    }

    /** Replays chunks; a RuntimeException or IOException among them is thrown from next() instead. */
    static final class ScriptedResult implements ResultStream {
        private final List<ResultColumn> columns;
        private final Deque<Object> steps;
        private final boolean truncated;
        private boolean done;

        ScriptedResult(List<ResultColumn> columns, boolean truncated, Object... steps) {
            this.columns = columns;
            this.truncated = truncated;
            this.steps = new ArrayDeque<>(List.of(steps));
        }

        @Override
        public List<ResultColumn> columns() {
            return columns;
        }

        @Override
        public ArrowChunk next() throws IOException {
            Object step = steps.poll();
            if (step == null) {
                done = true;
                return null;
            }
            if (step instanceof IOException e) {
                throw e;
            }
            if (step instanceof RuntimeException e) {
                throw e;
            }
            return (ArrowChunk) step;
        }

        @Override
        public boolean truncated() {
            if (!done) {
                throw new IllegalStateException("truncated() asked before the end of the result");
            }
            return truncated;
        }
    }

    /** An output stream that fails like a disconnected client once {@code limit} bytes were written. */
    static final class BrokenPipe extends java.io.OutputStream {
        private final int limit;
        int written;

        BrokenPipe(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written + len > limit) {
                throw new IOException("Broken pipe");
            }
            written += len;
        }
    }
}
