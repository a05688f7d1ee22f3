package dev.sparkgateway.api;

import dev.sparkgateway.compression.Compression;
import dev.sparkgateway.result.ResultFormats;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** One Arrow allocator for all encoders; each batch takes and frees its own memory from it. */
@Singleton
public class ResultFormatsProducer {

    @Produces
    @Singleton
    BufferAllocator allocator() {
        return new RootAllocator();
    }

    void close(@Disposes BufferAllocator allocator) {
        allocator.close();
    }

    @Produces
    @Singleton
    ResultFormats formats(BufferAllocator allocator, Compression compression) {
        return ResultFormats.standard(allocator, compression.zstdLevel());
    }
}
