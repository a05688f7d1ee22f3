package dev.sparkgateway.compression;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.AbstractCompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * Arrow's LZ4_FRAME body compression through lz4-java (at.yawk.lz4, the maintained fork; JNI with a
 * pure-Java fallback). Arrow Java's own Lz4CompressionCodec runs commons-compress's pure-Java LZ4,
 * which is known to be very slow (apache/arrow#27743): on the Arrow buffers of 100K rows of the
 * compression benchmark's query (4 MB) it took 51 s of CPU, this codec 0.055 s (bench Lz4Codecs;
 * an earlier attempt saw over 270 s for 1M rows). The frames are
 * standard LZ4 frames, so Arrow Java's CommonsCompressionFactory, pyarrow and arrow-js read them.
 * AbstractCompressionCodec adds Arrow's 8-byte uncompressed-length prefix and stores a buffer raw
 * when compressing does not make it smaller.
 */
public final class Lz4FrameCodec extends AbstractCompressionCodec {

    @Override
    protected ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf uncompressed) {
        byte[] in = new byte[(int) uncompressed.writerIndex()];
        uncompressed.getBytes(0, in);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(in.length / 2 + 64);
        // 64 KiB blocks: each call compresses one Arrow buffer, often small; the default 4 MiB block
        // would allocate 4 MiB per buffer.
        try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(frame, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB)) {
            lz4.write(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return withPrefix(allocator, frame.toByteArray());
    }

    private static ArrowBuf withPrefix(BufferAllocator allocator, byte[] bytes) {
        long size = CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH + bytes.length;
        ArrowBuf out = allocator.buffer(size);
        out.setBytes(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH, bytes);
        out.writerIndex(size);
        return out;
    }

    @Override
    protected ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
        long length = readUncompressedLength(compressed);
        byte[] in = new byte[(int) (compressed.writerIndex() - CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH)];
        compressed.getBytes(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH, in);
        byte[] out;
        try (LZ4FrameInputStream lz4 = new LZ4FrameInputStream(new ByteArrayInputStream(in))) {
            out = lz4.readNBytes((int) length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ArrowBuf buffer = allocator.buffer(out.length);
        buffer.setBytes(0, out);
        buffer.writerIndex(out.length);
        return buffer;
    }

    @Override
    public CompressionUtil.CodecType getCodecType() {
        return CompressionUtil.CodecType.LZ4_FRAME;
    }
}
