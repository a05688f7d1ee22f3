package dev.sparkgateway.result;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;

/**
 * The position of one encapsulated message inside an Arrow IPC stream, found from its framing and
 * flatbuffer header alone so the bytes can be forwarded without decoding any vector.
 *
 * @param start          offset of the framing prefix
 * @param prefixLength   8 with the 0xFFFFFFFF continuation marker, 4 for the pre-1.0 framing
 * @param metadataLength flatbuffer metadata length, padding included
 * @param bodyLength     message body length
 * @param headerType     a {@link MessageHeader} constant
 * @param rows           record count for record batches, else 0
 */
record IpcMessage(int start, int prefixLength, int metadataLength, long bodyLength, byte headerType, long rows) {

    private static final int CONTINUATION = 0xFFFFFFFF;

    /** Framing bytes for an end-of-stream marker in the current format. */
    static final byte[] END_OF_STREAM = {-1, -1, -1, -1, 0, 0, 0, 0};

    int metadataStart() {
        return start + prefixLength;
    }

    long end() {
        return metadataStart() + (long) metadataLength + bodyLength;
    }

    /** All messages before the end-of-stream marker (or the end of the bytes). */
    static List<IpcMessage> parse(ByteString ipc) throws IOException {
        List<IpcMessage> messages = new ArrayList<>(3);
        int size = ipc.size();
        int pos = 0;
        while (pos + 4 <= size) {
            int first = readIntLE(ipc, pos);
            int prefix = 4;
            int metadataLength = first;
            if (first == CONTINUATION) {
                prefix = 8;
                metadataLength = pos + 8 <= size ? readIntLE(ipc, pos + 4) : -1;
            }
            if (metadataLength == 0) {
                break;
            }
            int metadataStart = pos + prefix;
            if (metadataLength < 0 || (long) metadataStart + metadataLength > size) {
                throw new IOException("Malformed Arrow IPC message framing at offset " + pos);
            }
            Message message = Message.getRootAsMessage(
                    ipc.substring(metadataStart, metadataStart + metadataLength).asReadOnlyByteBuffer());
            long rows = 0;
            if (message.headerType() == MessageHeader.RecordBatch) {
                rows = ((RecordBatch) message.header(new RecordBatch())).length();
            }
            IpcMessage m = new IpcMessage(pos, prefix, metadataLength, message.bodyLength(), message.headerType(), rows);
            if (m.bodyLength() < 0 || m.end() > size) {
                throw new IOException("Arrow IPC message body exceeds the batch data at offset " + pos);
            }
            messages.add(m);
            pos = (int) m.end();
        }
        return messages;
    }

    /**
     * Copies this message in the current framing, without copying the bytes in memory. Legacy
     * messages gain the continuation marker plus 4 bytes of metadata padding, keeping the body
     * 8-byte aligned.
     */
    void copyTo(ByteString ipc, OutputStream out) throws IOException {
        ByteOutput direct = new StreamByteOutput(out);
        if (prefixLength == 8) {
            UnsafeByteOperations.unsafeWriteTo(ipc.substring(start, Math.toIntExact(end())), direct);
            return;
        }
        writeIntLE(out, CONTINUATION);
        writeIntLE(out, metadataLength + 4);
        UnsafeByteOperations.unsafeWriteTo(ipc.substring(metadataStart(), metadataStart() + metadataLength), direct);
        writeIntLE(out, 0);
        UnsafeByteOperations.unsafeWriteTo(ipc.substring(metadataStart() + metadataLength, Math.toIntExact(end())), direct);
    }

    /**
     * Hands a ByteString's own array to the stream. {@code ByteString.writeTo(OutputStream)} copies
     * the bytes into a new array first (it cannot trust a stream not to keep them): a 4 MiB
     * allocation, zeroing and copy per Arrow batch, the largest share of the Arrow pass-through's
     * CPU in its profile (docs/performance.md). Every stream here copies what it is given.
     */
    private static final class StreamByteOutput extends ByteOutput {
        private final OutputStream out;

        StreamByteOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(byte value) throws IOException {
            out.write(value);
        }

        @Override
        public void write(byte[] value, int offset, int length) throws IOException {
            out.write(value, offset, length);
        }

        @Override
        public void writeLazy(byte[] value, int offset, int length) throws IOException {
            out.write(value, offset, length);
        }

        @Override
        public void write(ByteBuffer value) throws IOException {
            if (value.hasArray()) {
                out.write(value.array(), value.arrayOffset() + value.position(), value.remaining());
                value.position(value.limit());
            } else {
                byte[] copy = new byte[value.remaining()];
                value.get(copy);
                out.write(copy);
            }
        }

        @Override
        public void writeLazy(ByteBuffer value) throws IOException {
            write(value);
        }
    }

    private static int readIntLE(ByteString b, int at) {
        return (b.byteAt(at) & 0xff) | (b.byteAt(at + 1) & 0xff) << 8
                | (b.byteAt(at + 2) & 0xff) << 16 | (b.byteAt(at + 3) & 0xff) << 24;
    }

    private static void writeIntLE(OutputStream out, int v) throws IOException {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }
}
