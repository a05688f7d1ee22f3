package dev.sparkgateway.result;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;

/**
 * {@code application/json}: {@code {"schema":[..],"rows":[[..],..],"rowCount":N,"truncated":b}}.
 * The counters come last because they are only known at the end. A result failure after the
 * response is committed is reported in-band as {@code "error"} (the object stays well-formed); the
 * caller then cuts the body off so no client can take it for a complete result.
 */
public final class JsonEncoder extends ArrowEncoder {

    public static final String MEDIA_TYPE = "application/json";

    public JsonEncoder(BufferAllocator allocator) {
        super(MEDIA_TYPE, allocator);
    }

    @Override
    public void encode(ResultStream result, OutputStream out, Function<Throwable, Map<String, Object>> errorBody)
            throws IOException, ResultFailedException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, BatchCursor.OUTPUT_BUFFER_BYTES);
        JsonGenerator gen = Json.generator(buffered);
        try (BufferAllocator batchAllocator = BatchCursor.childAllocator(allocator, "json-result");
             BatchCursor cursor = new BatchCursor(result, batchAllocator)) {
            gen.writeStartObject();
            gen.writeFieldName("schema");
            Json.writeSchema(gen, result.columns());
            gen.writeArrayFieldStart("rows");
            long rowCount = 0;
            ResultFailedException failure = null;
            try {
                while (cursor.advance()) {
                    rowCount += writeRows(cursor, gen, false);
                    // Hand each batch to the client as Spark produces it.
                    gen.flush();
                }
            } catch (ResultFailedException f) {
                failure = f;
            }
            gen.writeEndArray();
            gen.writeNumberField("rowCount", rowCount);
            gen.writeBooleanField("truncated", failure == null && result.truncated());
            if (failure != null) {
                gen.writeFieldName("error");
                Json.MAPPER.writeTree(gen, Json.problem(failure.getCause(), errorBody));
            }
            gen.writeEndObject();
            gen.close();
            buffered.flush();
            if (failure != null) {
                throw failure.reported();
            }
        }
    }

    /** Writes the current batch as JSON arrays, one per row (one per line for NDJSON). */
    static int writeRows(BatchCursor cursor, JsonGenerator gen, boolean newlines) throws IOException {
        JsonValueWriter[] writers = cursor.writers();
        int rows = cursor.rows();
        for (int row = 0; row < rows; row++) {
            gen.writeStartArray(null, writers.length);
            for (JsonValueWriter w : writers) {
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
