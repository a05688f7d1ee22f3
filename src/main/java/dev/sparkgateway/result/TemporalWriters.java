package dev.sparkgateway.result;

import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.IntervalYearVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Dates, timestamps and intervals as ISO-8601 text. Timestamps are formatted by hand from the epoch
 * value because java.time's formatters allocate several objects per value.
 */
final class TemporalWriters {

    private static final long SECONDS_PER_DAY = 86_400;

    private TemporalWriters() {
    }

    static JsonValueWriter create(ValueVector v) {
        if (v instanceof DateDayVector d) {
            return new JsonValueWriter.AsciiWriter(v) {
                @Override
                void text(int row, TextBuffer out) {
                    appendDate(out, d.get(row));
                }
            };
        } else if (v instanceof DateMilliVector d) {
            return new JsonValueWriter.AsciiWriter(v) {
                @Override
                void text(int row, TextBuffer out) {
                    appendDate(out, Math.floorDiv(d.get(row), SECONDS_PER_DAY * 1000));
                }
            };
        } else if (v instanceof TimeStampVector t) {
            ArrowType.Timestamp type = (ArrowType.Timestamp) t.getField().getType();
            return new TimestampWriter(t, unitsPerSecond(type.getUnit()), type.getTimezone() != null);
        } else if (v instanceof IntervalYearVector y) {
            return new JsonValueWriter.AsciiWriter(v) {
                @Override
                void text(int row, TextBuffer out) {
                    appendPeriod(out, y.get(row));
                }
            };
        } else if (v instanceof DurationVector d) {
            long perSecond = unitsPerSecond(((ArrowType.Duration) d.getField().getType()).getUnit());
            return new JsonValueWriter.AsciiWriter(v) {
                @Override
                void text(int row, TextBuffer out) {
                    long value = DurationVector.get(d.getDataBuffer(), row);
                    long nanos = Math.floorMod(value, perSecond) * (1_000_000_000L / perSecond);
                    out.appendAscii(Duration.ofSeconds(Math.floorDiv(value, perSecond), nanos).toString());
                }
            };
        }
        return null;
    }

    static long unitsPerSecond(org.apache.arrow.vector.types.TimeUnit unit) {
        switch (unit) {
            case SECOND:
                return 1;
            case MILLISECOND:
                return 1_000;
            case MICROSECOND:
                return 1_000_000;
            default:
                return 1_000_000_000;
        }
    }

    static final class TimestampWriter extends JsonValueWriter.AsciiWriter {
        private final TimeStampVector timestamps;
        private final long perSecond;
        private final long nanosPerUnit;
        /** Zoned timestamps are instants (printed in UTC with Z); zone-less ones are wall-clock times. */
        private final boolean instant;

        TimestampWriter(TimeStampVector timestamps, long perSecond, boolean instant) {
            super(timestamps);
            this.timestamps = timestamps;
            this.perSecond = perSecond;
            this.nanosPerUnit = TimeUnit.SECONDS.toNanos(1) / perSecond;
            this.instant = instant;
        }

        @Override
        void text(int row, TextBuffer out) {
            long value = timestamps.get(row);
            long seconds = Math.floorDiv(value, perSecond);
            int nanos = (int) (Math.floorMod(value, perSecond) * nanosPerUnit);
            appendDate(out, Math.floorDiv(seconds, SECONDS_PER_DAY));
            out.append((byte) 'T');
            appendTime(out, (int) Math.floorMod(seconds, SECONDS_PER_DAY), nanos);
            if (instant) {
                out.append((byte) 'Z');
            }
        }
    }

    /** {@code yyyy-MM-dd} like {@link LocalDate#toString()}, including its signed form outside 0000-9999. */
    static void appendDate(TextBuffer out, long epochDay) {
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        int year = date.getYear();
        if (year > 9999) {
            out.append((byte) '+');
        } else if (year < 0) {
            out.append((byte) '-');
        }
        int absYear = Math.abs(year);
        out.appendDigits(absYear, Math.max(4, digits(absYear)));
        out.append((byte) '-').appendDigits(date.getMonthValue(), 2);
        out.append((byte) '-').appendDigits(date.getDayOfMonth(), 2);
    }

    /** {@code HH:mm:ss} plus a fraction trimmed of trailing zeros; seconds are always present. */
    static void appendTime(TextBuffer out, int secondOfDay, int nanos) {
        out.appendDigits(secondOfDay / 3600, 2).append((byte) ':');
        out.appendDigits(secondOfDay / 60 % 60, 2).append((byte) ':');
        out.appendDigits(secondOfDay % 60, 2);
        if (nanos != 0) {
            int width = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                width--;
            }
            out.append((byte) '.').appendDigits(nanos, width);
        }
    }

    /** Total months as an ISO period: P1Y2M, -P3M, P0M. */
    static void appendPeriod(TextBuffer out, int totalMonths) {
        long abs = Math.abs((long) totalMonths);
        if (totalMonths < 0) {
            out.append((byte) '-');
        }
        out.append((byte) 'P');
        long years = abs / 12;
        long months = abs % 12;
        if (years != 0) {
            out.appendLong(years).append((byte) 'Y');
        }
        if (months != 0 || years == 0) {
            out.appendLong(months).append((byte) 'M');
        }
    }

    private static int digits(int v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }
}
