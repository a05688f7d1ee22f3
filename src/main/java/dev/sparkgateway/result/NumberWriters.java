package dev.sparkgateway.result;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.ValueVector;

/** Booleans, integers, floating point and decimals. */
final class NumberWriters {

    private NumberWriters() {
    }

    static ValueWriter create(ValueVector v) {
        if (v instanceof BitVector b) {
            return new BooleanWriter(b);
        } else if (v instanceof TinyIntVector || v instanceof SmallIntVector
                || v instanceof IntVector || v instanceof BigIntVector) {
            return new IntegerWriter((BaseFixedWidthVector) v);
        } else if (v instanceof Float4Vector || v instanceof Float8Vector) {
            return new FloatingWriter((BaseFixedWidthVector) v);
        } else if (v instanceof DecimalVector d) {
            return new DecimalWriter(d);
        } else if (v instanceof Decimal256Vector d) {
            return new ValueWriter.AsciiWriter(v) {
                @Override
                void text(int row, TextBuffer out) {
                    out.appendAscii(d.getObject(row).toPlainString());
                }
            };
        }
        return null;
    }

    static final class BooleanWriter extends ValueWriter {
        private final BitVector bits;

        BooleanWriter(BitVector bits) {
            super(bits);
            this.bits = bits;
        }

        @Override
        void json(int row, JsonGenerator gen) throws IOException {
            gen.writeBoolean(bits.get(row) != 0);
        }

        @Override
        void text(int row, TextBuffer out) {
            out.appendAscii(bits.get(row) != 0 ? "true" : "false");
        }
    }

    /** Signed integers of any width; reading by width avoids a virtual call per value. */
    static final class IntegerWriter extends ValueWriter {
        private final ArrowBuf data;
        private final int width;

        IntegerWriter(BaseFixedWidthVector v) {
            super(v);
            this.data = v.getDataBuffer();
            this.width = v.getTypeWidth();
        }

        private long value(int row) {
            switch (width) {
                case 1:
                    return data.getByte(row);
                case 2:
                    return data.getShort((long) row * 2);
                case 4:
                    return data.getInt((long) row * 4);
                default:
                    return data.getLong((long) row * 8);
            }
        }

        @Override
        void json(int row, JsonGenerator gen) throws IOException {
            gen.writeNumber(value(row));
        }

        @Override
        void text(int row, TextBuffer out) {
            out.appendLong(value(row));
        }
    }

    static final class FloatingWriter extends ValueWriter {
        private final ArrowBuf data;
        // Float columns print the float's own shortest form: widening shows 0.1f as 0.10000000149011612.
        // Text uses the same (Schubfach) formatting as the JSON generator so CSV and JSON agree.
        private final boolean single;

        FloatingWriter(BaseFixedWidthVector v) {
            super(v);
            this.data = v.getDataBuffer();
            this.single = v.getTypeWidth() == 4;
        }

        @Override
        void json(int row, JsonGenerator gen) throws IOException {
            if (single) {
                float f = data.getFloat((long) row * 4);
                if (Float.isFinite(f)) {
                    gen.writeNumber(f);
                } else {
                    gen.writeString(special(f));
                }
            } else {
                double d = data.getDouble((long) row * 8);
                if (Double.isFinite(d)) {
                    gen.writeNumber(d);
                } else {
                    gen.writeString(special(d));
                }
            }
        }

        @Override
        void text(int row, TextBuffer out) {
            if (single) {
                float f = data.getFloat((long) row * 4);
                out.appendAscii(Float.isFinite(f) ? NumberOutput.toString(f, true) : special(f));
            } else {
                double d = data.getDouble((long) row * 8);
                out.appendAscii(Double.isFinite(d) ? NumberOutput.toString(d, true) : special(d));
            }
        }

        private static String special(double d) {
            return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
        }
    }

    /** Reads 128-bit decimals straight from memory when the unscaled value fits a long (the common case). */
    static final class DecimalWriter extends ValueWriter.AsciiWriter {
        private static final long[] POW10 = new long[19];
        private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

        static {
            POW10[0] = 1;
            for (int i = 1; i < POW10.length; i++) {
                POW10[i] = POW10[i - 1] * 10;
            }
        }

        private final DecimalVector decimals;
        private final int scale;

        DecimalWriter(DecimalVector decimals) {
            super(decimals);
            this.decimals = decimals;
            this.scale = decimals.getScale();
        }

        @Override
        void text(int row, TextBuffer out) {
            ArrowBuf data = decimals.getDataBuffer();
            long offset = (long) row * DecimalVector.TYPE_WIDTH;
            long low = data.getLong(offset);
            long high = data.getLong(offset + 8);
            boolean fitsLong = high == (low >> 63) && low != Long.MIN_VALUE;
            if (!LITTLE_ENDIAN || !fitsLong || scale < 0 || scale >= POW10.length) {
                BigDecimal value = decimals.getObject(row);
                out.appendAscii(value.toPlainString());
                return;
            }
            long abs = Math.abs(low);
            if (low < 0) {
                out.append((byte) '-');
            }
            out.appendLong(abs / POW10[scale]);
            if (scale > 0) {
                out.append((byte) '.').appendDigits(abs % POW10[scale], scale);
            }
        }
    }
}
