package dev.sparkgateway.result;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;

/**
 * {@code application/json}: {@code {"schema":[..],"rows":[[..],..],"rowCount":N,"truncated":b}}.
 * The counters come last because they are only known at the end. A result failure after the
 * response is committed is reported in-band as {@code "error"} (the object stays well-formed); the
 * caller then cuts the body off so no client can take it for a complete result.
 */
public class JsonEncoder implements ResultEncoder {

    public static final String MEDIA_TYPE = "application/json";

    private final String mediaType;
    private final BufferAllocator allocator;
    /** NDJSON's framing: one line for the schema, one a row, one for the counters or the error. */
    private final boolean lines;

    public JsonEncoder(BufferAllocator allocator) {
        this(MEDIA_TYPE, allocator, false);
    }

    JsonEncoder(String mediaType, BufferAllocator allocator, boolean lines) {
        this.mediaType = mediaType;
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.lines = lines;
    }

    @Override
    public final String mediaType() {
        return mediaType;
    }

    @Override
    public final void encode(ResultStream result, OutputStream out, Function<Throwable, Map<String, Object>> errorBody)
            throws IOException, ResultFailedException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, BatchCursor.OUTPUT_BUFFER_BYTES);
        JsonGenerator gen = Json.generator(buffered);
        try (BufferAllocator batchAllocator = BatchCursor.childAllocator(allocator, lines ? "ndjson-result" : "json-result");
             BatchCursor cursor = new BatchCursor(result, batchAllocator)) {
            gen.writeStartObject();
            gen.writeFieldName("schema");
            Json.writeSchema(gen, result.columns());
            if (lines) {
                gen.writeEndObject();
                gen.writeRaw('\n');
            } else {
                gen.writeArrayFieldStart("rows");
            }
            long rowCount = 0;
            ResultFailedException failure = null;
            try {
                while (cursor.advance()) {
                    rowCount += writeRows(cursor, gen, lines);
                    // Hand each batch to the client as Spark produces it.
                    gen.flush();
                }
            } catch (ResultFailedException f) {
                failure = f;
            }
            if (lines) {
                gen.writeStartObject();
            } else {
                gen.writeEndArray();
            }
            // An NDJSON error line replaces the counters; a JSON object has both.
            if (failure == null || !lines) {
                gen.writeNumberField("rowCount", rowCount);
                gen.writeBooleanField("truncated", failure == null && result.truncated());
            }
            if (failure != null) {
                gen.writeFieldName("error");
                Json.MAPPER.writeTree(gen, Json.problem(failure.getCause(), errorBody));
            }
            gen.writeEndObject();
            if (lines) {
                gen.writeRaw('\n');
            }
            gen.close();
            buffered.flush();
            if (failure != null) {
                throw failure.reported();
            }
        }
    }

    /** Writes the current batch as JSON arrays, one per row (one per line for NDJSON). */
    private static int writeRows(BatchCursor cursor, JsonGenerator gen, boolean newlines) throws IOException {
        ValueWriter[] writers = cursor.writers();
        int rows = cursor.rows();
        for (int row = 0; row < rows; row++) {
            gen.writeStartArray(null, writers.length);
            for (ValueWriter w : writers) {
                w.writeJson(row, gen);
            }
            gen.writeEndArray();
            if (newlines) {
                gen.writeRaw('\n');
            }
        }
        return rows;
    }
}
