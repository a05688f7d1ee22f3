package dev.sparkgateway.result;

import org.apache.arrow.memory.BufferAllocator;

/**
 * {@code application/x-ndjson}: a {@code {"schema":[..]}} line, one JSON array per row, then a
 * {@code {"rowCount":N,"truncated":b}} line, or an {@code {"error":{..}}} line if the result fails.
 * A missing last line tells the client the connection broke; after an error line the body is cut
 * off as well. The values and the failure handling are {@link JsonEncoder}'s; only the framing differs.
 */
public final class NdjsonEncoder extends JsonEncoder {

    public static final String MEDIA_TYPE = "application/x-ndjson";

    public NdjsonEncoder(BufferAllocator allocator) {
        super(MEDIA_TYPE, allocator, true);
    }
}
