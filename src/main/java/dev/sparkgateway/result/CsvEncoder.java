package dev.sparkgateway.result;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;

/**
 * {@code text/csv} per RFC 4180: a header of column names, CRLF line ends, and fields quoted when
 * they contain a comma, quote, CR or LF or start or end with a space. SQL NULL is an empty unquoted
 * field and an empty string is {@code ""}, so the two stay distinguishable. CSV cannot carry an
 * error: the caller cuts the body off instead.
 *
 * <p>Cells are rendered straight into one output buffer and quoted in place only when needed,
 * which keeps the common unquoted cell at a single copy.
 */
public record CsvEncoder(BufferAllocator allocator) implements ResultEncoder {

    public static final String MEDIA_TYPE = "text/csv";

    private static final byte QUOTE = '"';

    @Override
    public String mediaType() {
        return MEDIA_TYPE;
    }

    @Override
    public void encode(ResultStream result, OutputStream out, Function<Throwable, Map<String, Object>> errorBody)
            throws IOException, ResultFailedException {
        TextBuffer buffer = new TextBuffer(BatchCursor.OUTPUT_BUFFER_BYTES + 4096);
        TextBuffer scratch = new TextBuffer(256);
        writeHeader(result.columns(), buffer, scratch);
        try (BufferAllocator batchAllocator = BatchCursor.childAllocator(allocator, "csv-result");
             BatchCursor cursor = new BatchCursor(result, batchAllocator)) {
            while (cursor.advance()) {
                ValueWriter[] writers = cursor.writers();
                int rows = cursor.rows();
                for (int row = 0; row < rows; row++) {
                    for (int c = 0; c < writers.length; c++) {
                        if (c > 0) {
                            buffer.append((byte) ',');
                        }
                        int start = buffer.length();
                        if (writers[c].writeText(row, buffer)) {
                            quoteIfNeeded(buffer, start, scratch);
                        }
                    }
                    buffer.append((byte) '\r').append((byte) '\n');
                    if (buffer.length() >= BatchCursor.OUTPUT_BUFFER_BYTES) {
                        drain(buffer, out);
                    }
                }
                drain(buffer, out);
                out.flush();
            }
        }
        drain(buffer, out);
        out.flush();
    }

    private static void drain(TextBuffer buffer, OutputStream out) throws IOException {
        if (buffer.length() > 0) {
            out.write(buffer.array(), 0, buffer.length());
            buffer.reset();
        }
    }

    private static void writeHeader(List<ResultColumn> columns, TextBuffer buffer, TextBuffer scratch) {
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) {
                buffer.append((byte) ',');
            }
            int start = buffer.length();
            byte[] name = columns.get(c).name().getBytes(StandardCharsets.UTF_8);
            buffer.append(name, 0, name.length);
            quoteIfNeeded(buffer, start, scratch);
        }
        buffer.append((byte) '\r').append((byte) '\n');
    }

    /**
     * Quotes the non-null field occupying {@code buffer[start..]}. Scanning UTF-8 bytes for ASCII
     * delimiters is safe: multi-byte sequences never contain bytes below 0x80.
     */
    static void quoteIfNeeded(TextBuffer buffer, int start, TextBuffer scratch) {
        byte[] b = buffer.array();
        int end = buffer.length();
        if (!needsQuotes(b, start, end)) {
            return;
        }
        scratch.reset().append(b, start, end - start);
        buffer.truncate(start).append(QUOTE);
        byte[] cell = scratch.array();
        int from = 0;
        for (int i = 0; i < scratch.length(); i++) {
            if (cell[i] == QUOTE) {
                buffer.append(cell, from, i + 1 - from).append(QUOTE);
                from = i + 1;
            }
        }
        buffer.append(cell, from, scratch.length() - from).append(QUOTE);
    }

    private static boolean needsQuotes(byte[] b, int start, int end) {
        if (start == end || b[start] == ' ' || b[end - 1] == ' ') {
            return true;
        }
        for (int i = start; i < end; i++) {
            byte x = b[i];
            if (x == ',' || x == QUOTE || x == '\r' || x == '\n') {
                return true;
            }
        }
        return false;
    }
}
