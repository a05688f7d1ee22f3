package dev.sparkgateway.compression;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** {@code gateway.compression.*}: HTTP content codings of JSON, NDJSON and CSV result bodies (docs/compression.md). */
@ConfigMapping(prefix = "gateway.compression")
public interface CompressionConfig {

    /** Compress result bodies for clients that send {@code Accept-Encoding}. */
    @WithDefault("true")
    boolean enabled();

    /** Codings offered, in the server's order of preference (breaks ties of equal q). */
    @WithDefault("zstd,gzip")
    List<String> codecs();

    /** Bodies up to this size go out uncompressed (the bytes are held until the size is passed or the body ends). */
    @WithDefault("1K")
    MemorySize minSize();

    /** 1 (fastest) to 9: on JSON rows level 1 takes a fifth of the CPU of the JDK's default 6 for 7% more bytes (bench GzipLevels). */
    @WithDefault("1")
    int gzipLevel();

    /** 1 to 19 (above 19 zstd's window passes the 8 MB that RFC 9659 lets decoders refuse); also Arrow's ZSTD codec. */
    @WithDefault("3")
    int zstdLevel();
}
