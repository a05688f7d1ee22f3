package dev.sparkgateway.result;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;

/**
 * {@code application/x-ndjson}: a {@code {"schema":[..]}} line, one JSON array per row, then a
 * {@code {"rowCount":N,"truncated":b}} line, or an {@code {"error":{..}}} line if the result fails.
 * A missing last line tells the client the connection broke; after an error line the body is cut
 * off as well.
 */
public final class NdjsonEncoder extends ArrowEncoder {

    public static final String MEDIA_TYPE = "application/x-ndjson";

    public NdjsonEncoder(BufferAllocator allocator) {
        super(MEDIA_TYPE, allocator);
    }

    @Override
    public void encode(ResultStream result, OutputStream out, Function<Throwable, Map<String, Object>> errorBody)
            throws IOException, ResultFailedException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, BatchCursor.OUTPUT_BUFFER_BYTES);
        JsonGenerator gen = Json.generator(buffered);
        try (BufferAllocator batchAllocator = BatchCursor.childAllocator(allocator, "ndjson-result");
             BatchCursor cursor = new BatchCursor(result, batchAllocator)) {
            gen.writeStartObject();
            gen.writeFieldName("schema");
            Json.writeSchema(gen, result.columns());
            gen.writeEndObject();
            gen.writeRaw('\n');
            long rowCount = 0;
            ResultFailedException failure = null;
            try {
                while (cursor.advance()) {
                    rowCount += JsonEncoder.writeRows(cursor, gen, true);
                    gen.flush();
                }
                gen.writeStartObject();
                gen.writeNumberField("rowCount", rowCount);
                gen.writeBooleanField("truncated", result.truncated());
                gen.writeEndObject();
            } catch (ResultFailedException f) {
                failure = f;
                gen.writeStartObject();
                gen.writeFieldName("error");
                Json.MAPPER.writeTree(gen, Json.problem(f.getCause(), errorBody));
                gen.writeEndObject();
            }
            gen.writeRaw('\n');
            gen.close();
            buffered.flush();
            if (failure != null) {
                throw failure.reported();
            }
        }
    }
}
