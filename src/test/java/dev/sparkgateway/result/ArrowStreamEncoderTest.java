package dev.sparkgateway.result;

import static dev.sparkgateway.result.Fixtures.ID_NAME;
import static dev.sparkgateway.result.Fixtures.PROBLEM;
import static dev.sparkgateway.result.Fixtures.idNameChunk;
import static dev.sparkgateway.result.Fixtures.idNameRows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.MetadataVersion;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ArrowStreamEncoderTest {

    @RegisterExtension
    final ArrowMemory memory = new ArrowMemory();
    private final RootAllocator allocator = memory.allocator();

    private byte[] encode(Object... steps) throws IOException, ResultFailedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ArrowStreamEncoder(allocator).encode(new Fixtures.ScriptedResult(ID_NAME, false, steps), out, PROBLEM);
        return out.toByteArray();
    }

    /** Reads the stream back: "id:name" per row, and the row count of each batch. */
    private List<String> readBack(byte[] stream, List<Integer> batchSizes) throws IOException {
        List<String> rows = new ArrayList<>();
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                batchSizes.add(root.getRowCount());
                BigIntVector id = (BigIntVector) root.getVector("id");
                VarCharVector name = (VarCharVector) root.getVector("name");
                for (int i = 0; i < root.getRowCount(); i++) {
                    rows.add(id.get(i) + ":" + (name.isNull(i) ? "NULL" : name.getObject(i).toString()));
                }
            }
        }
        return rows;
    }

    /** Message types of the output, and checks it ends with exactly one end-of-stream marker. */
    private static List<Byte> messageTypes(byte[] stream) throws IOException {
        ByteString bytes = ByteString.copyFrom(stream);
        List<IpcMessage> messages = IpcMessage.parse(bytes);
        List<Byte> types = new ArrayList<>();
        for (IpcMessage m : messages) {
            assertEquals(8, m.prefixLength(), "output uses the continuation framing");
            assertEquals(0, (m.metadataStart() + m.metadataLength()) % 8, "bodies stay 8-byte aligned");
            types.add(m.headerType());
        }
        long end = messages.isEmpty() ? 0 : messages.get(messages.size() - 1).end();
        assertEquals(stream.length - 8, end, "only the end-of-stream marker follows the last message");
        assertArrayEquals(IpcMessage.END_OF_STREAM, Arrays.copyOfRange(stream, stream.length - 8, stream.length));
        return types;
    }

    @Test
    void chunksBecomeOneStreamWithOneSchema() throws Exception {
        byte[] stream = encode(idNameChunk(allocator, 0, 3), idNameChunk(allocator, 3, 4), idNameChunk(allocator, 7, 5));
        List<Integer> sizes = new ArrayList<>();
        assertEquals(idNameRows(0, 12), readBack(stream, sizes));
        assertEquals(List.of(3, 4, 5), sizes);
        assertEquals(List.of(MessageHeader.Schema, MessageHeader.RecordBatch, MessageHeader.RecordBatch,
                MessageHeader.RecordBatch), messageTypes(stream));
    }

    @Test
    void batchesAreForwardedByteForByte() throws Exception {
        ArrowChunk first = idNameChunk(allocator, 0, 3);
        ArrowChunk second = idNameChunk(allocator, 3, 3);
        byte[] stream = encode(first, second);
        ByteString a = first.ipc();
        ByteString b = second.ipc();
        IpcMessage secondBatch = IpcMessage.parse(b).get(1);
        ByteString expected = a.substring(0, a.size() - 8)
                .concat(b.substring(secondBatch.start(), (int) secondBatch.end()))
                .concat(ByteString.copyFrom(IpcMessage.END_OF_STREAM));
        assertEquals(expected, ByteString.copyFrom(stream));
    }

    @Test
    void keepRowsSlicesTheLastBatch() throws Exception {
        byte[] stream = encode(idNameChunk(allocator, 0, 4), idNameChunk(allocator, 4, 6, 3), idNameChunk(allocator, 10, 2, 0));
        List<Integer> sizes = new ArrayList<>();
        assertEquals(idNameRows(0, 7), readBack(stream, sizes));
        assertEquals(List.of(4, 3), sizes);
        assertEquals(3, messageTypes(stream).size());
    }

    @Test
    void legacyFramingIsAcceptedAndModernized() throws Exception {
        ArrowChunk modern = idNameChunk(allocator, 0, 3);
        ByteString legacy;
        try (ArrowStreamReader reader = new ArrowStreamReader(modern.ipc().newInput(), allocator)) {
            reader.loadNextBatch();
            legacy = Fixtures.ipc(reader.getVectorSchemaRoot(), null, new IpcOption(true, MetadataVersion.V4));
        }
        assertEquals(List.of(4, 4), IpcMessage.parse(legacy).stream().map(IpcMessage::prefixLength).toList());
        // Forwarded whole, then sliced (re-encoded), then forwarded again after a modern chunk.
        byte[] stream = encode(new ArrowChunk(legacy, 3, 3), idNameChunk(allocator, 3, 2), new ArrowChunk(legacy, 3, 2));
        List<Integer> sizes = new ArrayList<>();
        assertEquals(List.of("0:NULL", "1:n1", "2:n2", "3:n3", "4:n4", "0:NULL", "1:n1"), readBack(stream, sizes));
        assertEquals(List.of(3, 2, 2), sizes);
        assertEquals(4, messageTypes(stream).size());
    }

    @Test
    void dictionaryBatchesPassThrough() throws Exception {
        DictionaryEncoding encoding = new DictionaryEncoding(7L, false, new ArrowType.Int(32, true));
        Schema schema = new Schema(List.of(new Field("color", new FieldType(true, new ArrowType.Int(32, true), encoding), null)));
        ArrowChunk chunk;
        try (VarCharVector colors = new VarCharVector("colors", allocator);
             VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            colors.setSafe(0, "red".getBytes(StandardCharsets.UTF_8));
            colors.setSafe(1, "green".getBytes(StandardCharsets.UTF_8));
            colors.setValueCount(2);
            IntVector indices = (IntVector) root.getVector("color");
            indices.setSafe(0, 1);
            indices.setSafe(1, 0);
            indices.setSafe(2, 1);
            root.setRowCount(3);
            DictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider(new Dictionary(colors, encoding));
            chunk = new ArrowChunk(Fixtures.ipc(root, provider, IpcOption.DEFAULT), 3, 3);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ArrowStreamEncoder(allocator).encode(new Fixtures.ScriptedResult(
                List.of(Fixtures.column("color", "string", true)), false, chunk, chunk), out, PROBLEM);
        assertEquals(List.of(MessageHeader.Schema, MessageHeader.DictionaryBatch, MessageHeader.RecordBatch,
                MessageHeader.DictionaryBatch, MessageHeader.RecordBatch), messageTypes(out.toByteArray()));
        List<String> json = new ArrayList<>();
        ByteArrayOutputStream jsonOut = new ByteArrayOutputStream();
        new JsonEncoder(allocator).encode(new Fixtures.ScriptedResult(
                List.of(Fixtures.column("color", "string", true)), false, chunk), jsonOut, PROBLEM);
        json.add(jsonOut.toString(StandardCharsets.UTF_8));
        assertTrue(json.get(0).contains("\"rows\":[[\"green\"],[\"red\"],[\"green\"]]"), json.get(0));
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), allocator)) {
            int batches = 0;
            while (reader.loadNextBatch()) {
                batches++;
                assertEquals(3, reader.getVectorSchemaRoot().getRowCount());
            }
            assertEquals(2, batches);
            assertEquals("green", reader.getDictionaryVectors().get(7L).getVector().getObject(1).toString());
        }
    }

    @Test
    void emptyResultWritesSchemaFromColumns() throws Exception {
        List<ResultColumn> columns = List.of(Fixtures.column("id", "bigint", false),
                Fixtures.column("amount", "decimal(12, 3)", true), Fixtures.column("ts", "timestamp", true),
                Fixtures.column("ntz", "timestamp_ntz", true), Fixtures.column("d", "date", true),
                Fixtures.column("ym", "interval year to month", true), Fixtures.column("dt", "interval day to second", true),
                Fixtures.column("tags", "array<string>", true), Fixtures.column("m", "map<string,int>", true),
                Fixtures.column("st", "struct<a:int,b:string>", true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ArrowStreamEncoder(allocator).encode(new Fixtures.ScriptedResult(columns, false), out, PROBLEM);
        assertEquals(List.of(MessageHeader.Schema), messageTypes(out.toByteArray()));
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), allocator)) {
            List<Field> fields = reader.getVectorSchemaRoot().getSchema().getFields();
            assertEquals(List.of(new ArrowType.Int(64, true), new ArrowType.Decimal(12, 3, 128),
                    new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"), new ArrowType.Timestamp(TimeUnit.MICROSECOND, null),
                    new ArrowType.Date(DateUnit.DAY), new ArrowType.Interval(IntervalUnit.YEAR_MONTH),
                    new ArrowType.Duration(TimeUnit.MICROSECOND), ArrowType.List.INSTANCE, new ArrowType.Map(false),
                    ArrowType.Struct.INSTANCE), fields.stream().map(Field::getType).toList());
            assertEquals(false, fields.get(0).isNullable());
            // nested children named and typed as Spark's ArrowUtils names them
            assertEquals("element", fields.get(7).getChildren().get(0).getName());
            Field entries = fields.get(8).getChildren().get(0);
            assertEquals(List.of("key", "value"), entries.getChildren().stream().map(Field::getName).toList());
            assertEquals(false, entries.isNullable());
            assertEquals(false, entries.getChildren().get(0).isNullable());
            assertEquals(List.of(new ArrowType.Int(32, true), ArrowType.Utf8.INSTANCE),
                    fields.get(9).getChildren().stream().map(Field::getType).toList());
            assertEquals(false, reader.loadNextBatch());
        }
    }

    @Test
    void midStreamFailureIsAResultFailureNotAWriteFailure() throws Exception {
        ResultFailedException e = assertThrows(ResultFailedException.class,
                () -> encode(idNameChunk(allocator, 0, 3), new IllegalStateException("executor lost")));
        assertTrue(e.getCause() instanceof IllegalStateException);
        assertFalse(e.reportedInBand());
        assertThrows(ResultFailedException.class, () -> encode(new ArrowChunk(ByteString.copyFromUtf8("garbage!"), 1, 1)));
        ByteString batchOnly = idNameChunk(allocator, 0, 1).ipc();
        IpcMessage schema = IpcMessage.parse(batchOnly).get(0);
        ArrowChunk withoutSchema = new ArrowChunk(batchOnly.substring((int) schema.end()), 1, 1);
        assertThrows(ResultFailedException.class, () -> encode(withoutSchema));
    }

    @Test
    void clientDisconnectPropagates() {
        Object[] chunks = new Object[10];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = idNameChunk(allocator, i * 1000L, 1000, i == 9 ? 10 : 1000);
        }
        assertThrows(IOException.class, () -> new ArrowStreamEncoder(allocator).encode(
                new Fixtures.ScriptedResult(ID_NAME, false, chunks), new Fixtures.BrokenPipe(50_000), PROBLEM));
    }
}
