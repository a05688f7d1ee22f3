package dev.sparkgateway.result;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;

/**
 * {@code text/csv} per RFC 4180: a header of column names, CRLF line ends, and fields quoted when
 * they contain a comma, quote, CR or LF or start or end with a space. SQL NULL is an empty unquoted
 * field and an empty string is {@code ""}, so the two stay distinguishable. CSV cannot carry an
 * error, so a result failure surfaces as an IOException and the server aborts the response.
 */
public final class CsvEncoder implements ResultEncoder {

    public static final String MEDIA_TYPE = "text/csv";

    private static final byte QUOTE = '"';

    private final BufferAllocator allocator;

    public CsvEncoder(BufferAllocator allocator) {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
    }

    @Override
    public String mediaType() {
        return MEDIA_TYPE;
    }

    @Override
    public void encode(ResultStream result, OutputStream out, Function<Throwable, Map<String, Object>> errorBody)
            throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, BatchCursor.OUTPUT_BUFFER_BYTES);
        TextBuffer cell = new TextBuffer(256);
        writeHeader(result.columns(), cell, buffered);
        try (BufferAllocator batchAllocator = BatchCursor.childAllocator(allocator, "csv-result");
             BatchCursor cursor = new BatchCursor(result, batchAllocator)) {
            while (cursor.advance()) {
                JsonValueWriter[] writers = cursor.writers();
                int rows = cursor.rows();
                for (int row = 0; row < rows; row++) {
                    for (int c = 0; c < writers.length; c++) {
                        if (c > 0) {
                            buffered.write(',');
                        }
                        if (writers[c].writeText(row, cell.reset())) {
                            writeField(cell, buffered);
                        }
                    }
                    buffered.write('\r');
                    buffered.write('\n');
                }
                buffered.flush();
            }
        } catch (ResultFailure f) {
            throw f.asIOException();
        }
        buffered.flush();
    }

    private static void writeHeader(List<ResultColumn> columns, TextBuffer cell, OutputStream out) throws IOException {
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) {
                out.write(',');
            }
            byte[] name = columns.get(c).name().getBytes(StandardCharsets.UTF_8);
            writeField(cell.reset().append(name, 0, name.length), out);
        }
        out.write('\r');
        out.write('\n');
    }

    /**
     * Writes a non-null field. Scanning UTF-8 bytes for ASCII delimiters is safe: multi-byte
     * sequences never contain bytes below 0x80.
     */
    static void writeField(TextBuffer cell, OutputStream out) throws IOException {
        byte[] b = cell.array();
        int len = cell.length();
        if (!needsQuotes(b, len)) {
            out.write(b, 0, len);
            return;
        }
        out.write(QUOTE);
        int from = 0;
        for (int i = 0; i < len; i++) {
            if (b[i] == QUOTE) {
                out.write(b, from, i + 1 - from);
                out.write(QUOTE);
                from = i + 1;
            }
        }
        out.write(b, from, len - from);
        out.write(QUOTE);
    }

    private static boolean needsQuotes(byte[] b, int len) {
        if (len == 0 || b[0] == ' ' || b[len - 1] == ' ') {
            return true;
        }
        for (int i = 0; i < len; i++) {
            byte x = b[i];
            if (x == ',' || x == QUOTE || x == '\r' || x == '\n') {
                return true;
            }
        }
        return false;
    }
}
