package dev.sparkgateway.result;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/** Strings and binaries, copied from Arrow memory into a reused buffer instead of materializing objects. */
final class BytesWriters {

    private BytesWriters() {
    }

    static ValueWriter create(ValueVector v) {
        if (v instanceof VarCharVector || v instanceof LargeVarCharVector) {
            return new BytesWriter((FieldVector) v, true, v instanceof LargeVarCharVector ? 8 : 4, 0);
        } else if (v instanceof VarBinaryVector || v instanceof LargeVarBinaryVector) {
            return new BytesWriter((FieldVector) v, false, v instanceof LargeVarBinaryVector ? 8 : 4, 0);
        } else if (v instanceof FixedSizeBinaryVector f) {
            return new BytesWriter(f, false, 0, f.getByteWidth());
        }
        return null;
    }

    static final class BytesWriter extends ValueWriter {
        private final ArrowBuf offsets;
        private final ArrowBuf data;
        private final boolean utf8;
        /** 4 or 8 for variable width, 0 for fixed width. */
        private final int offsetWidth;
        private final int fixedWidth;
        private final TextBuffer raw = new TextBuffer(256);

        BytesWriter(FieldVector v, boolean utf8, int offsetWidth, int fixedWidth) {
            super(v);
            this.offsets = offsetWidth == 0 ? null : v.getOffsetBuffer();
            this.data = v.getDataBuffer();
            this.utf8 = utf8;
            this.offsetWidth = offsetWidth;
            this.fixedWidth = fixedWidth;
        }

        private long start(int row) {
            if (offsetWidth == 4) {
                return offsets.getInt((long) row * 4);
            }
            return offsetWidth == 8 ? offsets.getLong((long) row * 8) : (long) row * fixedWidth;
        }

        private int length(int row, long start) {
            if (offsetWidth == 4) {
                return offsets.getInt((long) (row + 1) * 4) - (int) start;
            }
            return offsetWidth == 8 ? Math.toIntExact(offsets.getLong((long) (row + 1) * 8) - start) : fixedWidth;
        }

        /** Copies the value into {@link #raw} and returns its length. */
        private int copy(int row) {
            long start = start(row);
            int len = length(row, start);
            raw.reset().append(data, start, len);
            return len;
        }

        @Override
        void json(int row, JsonGenerator gen) throws IOException {
            int len = copy(row);
            if (utf8) {
                gen.writeUTF8String(raw.array(), 0, len);
            } else {
                gen.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, raw.array(), 0, len);
            }
        }

        @Override
        void text(int row, TextBuffer out) {
            if (utf8) {
                long start = start(row);
                out.append(data, start, length(row, start));
            } else {
                out.appendBase64(raw.array(), 0, copy(row));
            }
        }
    }
}
