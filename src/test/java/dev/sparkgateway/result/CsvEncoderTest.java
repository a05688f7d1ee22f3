package dev.sparkgateway.result;

import static dev.sparkgateway.result.Fixtures.ID_NAME;
import static dev.sparkgateway.result.Fixtures.PROBLEM;
import static dev.sparkgateway.result.Fixtures.idNameChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CsvEncoderTest {

    @RegisterExtension
    final ArrowMemory memory = new ArrowMemory();
    private final RootAllocator allocator = memory.allocator();

    private String encode(ResultStream result) throws IOException, ResultFailedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CsvEncoder(allocator).encode(result, out, PROBLEM);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void headerAndRowsOverChunksWithKeepRows() throws Exception {
        String csv = encode(new Fixtures.ScriptedResult(ID_NAME, true,
                idNameChunk(allocator, 0, 2), idNameChunk(allocator, 2, 2), idNameChunk(allocator, 4, 3, 2)));
        assertEquals("id,name\r\n0,\r\n1,n1\r\n2,n2\r\n3,n3\r\n4,n4\r\n5,\r\n", csv);
    }

    @Test
    void quotingFollowsRfc4180AndNullDiffersFromEmpty() throws Exception {
        String[] values = {"plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rhere", " lead", "trail ", "", null, "ünï"};
        Schema schema = new Schema(List.of(
                new Field("text", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field("x", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null),
                new Field("amount", FieldType.nullable(new ArrowType.Decimal(10, 2, 128)), null),
                new Field("list", FieldType.nullable(ArrowType.List.INSTANCE),
                        List.of(new Field("element", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)))));
        ArrowChunk chunk;
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            VarCharVector text = (VarCharVector) root.getVector("text");
            Float8Vector x = (Float8Vector) root.getVector("x");
            DecimalVector amount = (DecimalVector) root.getVector("amount");
            ListVector list = (ListVector) root.getVector("list");
            VarCharVector elements = (VarCharVector) list.getDataVector();
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    text.setNull(i);
                } else {
                    text.setSafe(i, values[i].getBytes(StandardCharsets.UTF_8));
                }
                x.setNull(i);
                amount.setNull(i);
                list.setNull(i);
            }
            x.setSafe(0, Double.NaN);
            amount.setSafe(0, new BigDecimal("-1234.50"));
            list.startNewValue(0);
            elements.setSafe(0, "q\"".getBytes(StandardCharsets.UTF_8));
            elements.setNull(1);
            list.endValue(0, 2);
            elements.setValueCount(2);
            root.setRowCount(values.length);
            chunk = Fixtures.chunk(root);
        }
        List<ResultColumn> columns = List.of(Fixtures.column("text, with comma", "string", true),
                Fixtures.column("x", "double", true), Fixtures.column("amount", "decimal(10,2)", true),
                Fixtures.column("list", "array<string>", true));
        String csv = encode(new Fixtures.ScriptedResult(columns, false, chunk));
        List<String> lines = Arrays.asList(csv.split("\r\n", -1));
        assertEquals("\"text, with comma\",x,amount,list", lines.get(0));
        assertEquals("plain,NaN,-1234.50,\"[\"\"q\\\"\"\"\",null]\"", lines.get(1));
        assertTrue(csv.contains("\r\n\"a,b\",,,\r\n\"say \"\"hi\"\"\",,,\r\n\"line\nbreak\",,,\r\n\"cr\rhere\",,,\r\n"
                + "\" lead\",,,\r\n\"trail \",,,\r\n\"\",,,\r\n,,,\r\nünï,,,\r\n"), csv);
        assertTrue(csv.endsWith("ünï,,,\r\n"));
    }

    @Test
    void midStreamFailureIsAResultFailure() {
        ResultStream result = new Fixtures.ScriptedResult(ID_NAME, false,
                idNameChunk(allocator, 0, 2), new IllegalStateException("executor lost"));
        ResultFailedException e = assertThrows(ResultFailedException.class, () -> encode(result));
        assertTrue(e.getMessage().contains("executor lost"), e.getMessage());
        assertTrue(e.getCause() instanceof IllegalStateException);
        assertFalse(e.reportedInBand());
    }

    @Test
    void ioExceptionFromSparkIsAResultFailureNotAWriteFailure() {
        // A gRPC "Connection reset" from a dying Spark server must never read as the HTTP client leaving.
        IOException spark = new IOException("Connection reset by peer");
        ResultStream result = new Fixtures.ScriptedResult(ID_NAME, false, spark);
        assertEquals(spark, assertThrows(ResultFailedException.class, () -> encode(result)).getCause());
    }

    @Test
    void clientDisconnectPropagatesAndFreesMemory() {
        Object[] chunks = new Object[20];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = idNameChunk(allocator, i * 1000L, 1000);
        }
        ResultStream result = new Fixtures.ScriptedResult(ID_NAME, false, chunks);
        assertThrows(IOException.class,
                () -> new CsvEncoder(allocator).encode(result, new Fixtures.BrokenPipe(100_000), PROBLEM));
    }

    @Test
    void largeOutputIsComplete() throws Exception {
        Object[] chunks = new Object[8];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = idNameChunk(allocator, i * 5000L, 5000);
        }
        String[] lines = encode(new Fixtures.ScriptedResult(ID_NAME, false, chunks)).split("\r\n");
        assertEquals(1 + 40_000, lines.length);
        for (int i = 0; i < 40_000; i++) {
            assertEquals(i + "," + (i % 5 == 0 ? "" : "n" + i), lines[i + 1]);
        }
    }
}
