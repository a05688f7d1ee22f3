package dev.sparkgateway.result;

import com.google.protobuf.ByteString;
import dev.sparkgateway.compression.ArrowCodecs;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code application/vnd.apache.arrow.stream}: Spark's batches joined into one IPC stream. Each chunk
 * is a complete stream of its own, so only the first schema message and no end-of-stream markers are
 * kept; batch bytes are forwarded untouched. Only a batch cut by the row limit is decoded and
 * re-encoded. Arrow cannot carry an error: the caller cuts the body off instead (no end-of-stream
 * marker arrives).
 *
 * <p>With a {@code codec} (the client's {@code Accept: ...; codec=zstd|lz4}) every batch is instead
 * decoded and written again with compressed buffers: CPU in the gateway for fewer bytes on the wire.
 *
 * @param codec null: Spark's batches pass through as they are
 */
public record ArrowStreamEncoder(BufferAllocator allocator, int zstdLevel, CompressionCodec codec) implements ResultEncoder {

    public static final String MEDIA_TYPE = "application/vnd.apache.arrow.stream";
    /** Arrow's own default level for ZSTD. */
    public static final int DEFAULT_ZSTD_LEVEL = 3;

    public ArrowStreamEncoder(BufferAllocator allocator) {
        this(allocator, DEFAULT_ZSTD_LEVEL);
    }

    public ArrowStreamEncoder(BufferAllocator allocator, int zstdLevel) {
        this(allocator, zstdLevel, null);
    }

    @Override
    public String mediaType() {
        return MEDIA_TYPE;
    }

    /** Arrow compresses its buffers itself when asked ({@code codec}); gzip over Arrow would only cost CPU twice. */
    @Override
    public boolean compressible() {
        return false;
    }

    @Override
    public ResultEncoder withParameters(Map<String, String> parameters) {
        String name = parameters.get("codec");
        if (name == null) {
            return this;
        }
        return new ArrowStreamEncoder(allocator, zstdLevel, ArrowCodecs.byName(name, zstdLevel).orElse(null));
    }

    @Override
    public void encode(ResultStream result, OutputStream out, Function<Throwable, Map<String, Object>> errorBody)
            throws IOException, ResultFailedException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, BatchCursor.OUTPUT_BUFFER_BYTES);
        if (codec != null) {
            encodeCompressed(result, buffered);
            return;
        }
        boolean schemaWritten = false;
        ArrowChunk chunk;
        while ((chunk = ResultFailedException.next(result)) != null) {
            schemaWritten |= writeChunk(chunk, schemaWritten, buffered);
            buffered.flush();
        }
        if (!schemaWritten) {
            MessageSerializer.serialize(channel(buffered), schema(result.columns()), IpcOption.DEFAULT);
        }
        buffered.write(IpcMessage.END_OF_STREAM);
        buffered.flush();
    }

    /** Each batch decoded and written again with {@link #codec}; the row limit cuts as in pass-through. */
    private void encodeCompressed(ResultStream result, BufferedOutputStream out) throws IOException, ResultFailedException {
        WriteChannel channel = channel(out);
        boolean schemaWritten = false;
        ArrowChunk chunk;
        while ((chunk = ResultFailedException.next(result)) != null) {
            long remaining = chunk.keepRows();
            try (BufferAllocator chunkAllocator = BatchCursor.childAllocator(allocator, "arrow-compress");
                 ArrowStreamReader reader = new ArrowStreamReader(chunk.ipc().newInput(), chunkAllocator)) {
                VectorSchemaRoot root = root(reader);
                if (!schemaWritten) {
                    MessageSerializer.serialize(channel, root.getSchema(), IpcOption.DEFAULT);
                    schemaWritten = true;
                }
                while (remaining > 0 && load(reader)) {
                    int rows = (int) Math.min(root.getRowCount(), remaining);
                    writeCompressed(rows < root.getRowCount() ? root.slice(0, rows) : root, root, channel);
                    remaining -= rows;
                }
            }
            out.flush();
        }
        if (!schemaWritten) {
            MessageSerializer.serialize(channel, schema(result.columns()), IpcOption.DEFAULT);
        }
        out.write(IpcMessage.END_OF_STREAM);
        out.flush();
    }

    private void writeCompressed(VectorSchemaRoot batchRoot, VectorSchemaRoot root, WriteChannel channel) throws IOException {
        try (ArrowRecordBatch batch = new VectorUnloader(batchRoot, true, codec, true).getRecordBatch()) {
            MessageSerializer.serialize(channel, batch, IpcOption.DEFAULT);
        } finally {
            if (batchRoot != root) {
                batchRoot.close();
            }
        }
    }

    private static VectorSchemaRoot root(ArrowStreamReader reader) throws ResultFailedException {
        try {
            return reader.getVectorSchemaRoot();
        } catch (IOException | RuntimeException e) {
            throw new ResultFailedException(e);
        }
    }

    private static boolean load(ArrowStreamReader reader) throws ResultFailedException {
        try {
            return reader.loadNextBatch();
        } catch (IOException | RuntimeException e) {
            throw new ResultFailedException(e);
        }
    }

    private static Schema schema(List<ResultColumn> columns) {
        return new Schema(columns.stream().map(c -> c.type().arrowField(c.name(), c.nullable())).toList());
    }

    /** Returns whether a schema message was written. */
    private boolean writeChunk(ArrowChunk chunk, boolean schemaWritten, OutputStream out)
            throws IOException, ResultFailedException {
        ByteString ipc = chunk.ipc();
        List<IpcMessage> messages;
        try {
            messages = IpcMessage.parse(ipc);
        } catch (IOException | RuntimeException e) {
            throw new ResultFailedException(e);
        }
        boolean wroteSchema = false;
        long remaining = chunk.keepRows();
        int batchIndex = 0;
        for (IpcMessage m : messages) {
            if (m.headerType() == MessageHeader.Schema) {
                if (!schemaWritten && !wroteSchema) {
                    m.copyTo(ipc, out);
                    wroteSchema = true;
                }
                continue;
            }
            if (!schemaWritten && !wroteSchema) {
                throw new ResultFailedException(new IOException("Arrow batch data does not start with a schema message"));
            }
            if (m.headerType() == MessageHeader.DictionaryBatch) {
                m.copyTo(ipc, out);
            } else if (m.headerType() == MessageHeader.RecordBatch) {
                if (m.rows() <= remaining) {
                    m.copyTo(ipc, out);
                    remaining -= m.rows();
                } else if (remaining > 0) {
                    writeSlice(ipc, batchIndex, (int) remaining, out);
                    remaining = 0;
                }
                batchIndex++;
            }
        }
        return wroteSchema;
    }

    /** Re-encodes the leading {@code rows} rows of the chunk's {@code batchIndex}-th record batch. */
    private void writeSlice(ByteString ipc, int batchIndex, int rows, OutputStream out)
            throws IOException, ResultFailedException {
        try (BufferAllocator sliceAllocator = BatchCursor.childAllocator(allocator, "arrow-slice");
             ArrowStreamReader reader = new ArrowStreamReader(ipc.newInput(), sliceAllocator)) {
            for (int i = 0; i <= batchIndex; i++) {
                boolean loaded;
                try {
                    loaded = reader.loadNextBatch();
                } catch (IOException | RuntimeException e) {
                    throw new ResultFailedException(e);
                }
                if (!loaded) {
                    throw new ResultFailedException(new IOException("Arrow batch " + batchIndex + " missing from the chunk"));
                }
            }
            try (VectorSchemaRoot slice = reader.getVectorSchemaRoot().slice(0, rows);
                 ArrowRecordBatch batch = new VectorUnloader(slice).getRecordBatch()) {
                MessageSerializer.serialize(channel(out), batch, IpcOption.DEFAULT);
            }
        }
    }

    private static WriteChannel channel(OutputStream out) {
        return new WriteChannel(Channels.newChannel(out));
    }
}
