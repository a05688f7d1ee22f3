package dev.sparkgateway.result;

import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;

/** What every encoder shares: its media type and the allocator it decodes Spark's batches with. */
abstract class ArrowEncoder implements ResultEncoder {

    protected final BufferAllocator allocator;
    private final String mediaType;

    ArrowEncoder(String mediaType, BufferAllocator allocator) {
        this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
    }

    @Override
    public final String mediaType() {
        return mediaType;
    }
}
