package dev.sparkgateway.result;

import java.time.Duration;
import java.time.LocalDate;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.IntervalYearVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Dates, timestamps and intervals as ISO-8601 text. Timestamps are formatted by hand from the epoch
 * value because java.time's formatters allocate several objects per value.
 */
final class TemporalWriters {

    private static final long SECONDS_PER_DAY = 86_400;
    private static final long DAYS_PER_ERA = 146_097;
    private static final long DAYS_0000_03_01_TO_EPOCH = 719_468;

    private TemporalWriters() {
    }

    static ValueWriter create(ValueVector v) {
        if (v instanceof DateDayVector d) {
            return new ValueWriter.AsciiWriter(v) {
                @Override
                void text(int row, TextBuffer out) {
                    appendDate(out, d.get(row));
                }
            };
        } else if (v instanceof DateMilliVector d) {
            return new ValueWriter.AsciiWriter(v) {
                @Override
                void text(int row, TextBuffer out) {
                    appendDate(out, Math.floorDiv(d.get(row), SECONDS_PER_DAY * 1000));
                }
            };
        } else if (v instanceof TimeStampVector t) {
            ArrowType.Timestamp type = (ArrowType.Timestamp) t.getField().getType();
            return new TimestampWriter(t, unitsPerSecond(type.getUnit()), type.getTimezone() != null);
        } else if (v instanceof IntervalYearVector y) {
            return new ValueWriter.AsciiWriter(v) {
                @Override
                void text(int row, TextBuffer out) {
                    appendPeriod(out, y.get(row));
                }
            };
        } else if (v instanceof DurationVector d) {
            long perSecond = unitsPerSecond(((ArrowType.Duration) d.getField().getType()).getUnit());
            return new ValueWriter.AsciiWriter(v) {
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

    static long unitsPerSecond(TimeUnit unit) {
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

    static final class TimestampWriter extends ValueWriter.AsciiWriter {
        private final TimeStampVector timestamps;
        private final long perSecond;
        private final long nanosPerUnit;
        /** Zoned timestamps are instants (printed in UTC with Z); zone-less ones are wall-clock times. */
        private final boolean instant;
        /** Timestamps in a batch tend to share days, so the last date's text is reused. */
        private final TextBuffer date = new TextBuffer(16);
        private long dateDay = Long.MIN_VALUE;

        TimestampWriter(TimeStampVector timestamps, long perSecond, boolean instant) {
            super(timestamps);
            this.timestamps = timestamps;
            this.perSecond = perSecond;
            this.nanosPerUnit = 1_000_000_000L / perSecond;
            this.instant = instant;
        }

        @Override
        void text(int row, TextBuffer out) {
            long value = timestamps.get(row);
            long seconds = Math.floorDiv(value, perSecond);
            int nanos = (int) (Math.floorMod(value, perSecond) * nanosPerUnit);
            long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
            if (day != dateDay) {
                appendDate(date.reset(), day);
                dateDay = day;
            }
            out.append(date.array(), 0, date.length()).append((byte) 'T');
            appendTime(out, (int) Math.floorMod(seconds, SECONDS_PER_DAY), nanos);
            if (instant) {
                out.append((byte) 'Z');
            }
        }
    }

    /**
     * {@code yyyy-MM-dd} like {@link LocalDate#toString()}, including its signed form outside
     * 0000-9999. Computes the proleptic Gregorian civil date directly: counting from 0000-03-01 puts
     * leap days at the end of each 400-year era, so the month/day split needs no leap-year branches.
     */
    static void appendDate(TextBuffer out, long epochDay) {
        long shifted = epochDay + DAYS_0000_03_01_TO_EPOCH;
        long era = Math.floorDiv(shifted, DAYS_PER_ERA);
        int dayOfEra = (int) (shifted - era * DAYS_PER_ERA);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int shiftedMonth = (5 * dayOfYear + 2) / 153; // 0 = March
        int day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        int month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        long year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0);
        if (year >= 0 && year <= 9999) {
            out.append2Digits((int) year / 100).append2Digits((int) year % 100);
        } else {
            out.append((byte) (year < 0 ? '-' : '+'));
            long abs = Math.abs(year);
            out.appendDigits(abs, Math.max(4, Long.toString(abs).length()));
        }
        out.append((byte) '-').append2Digits(month).append((byte) '-').append2Digits(day);
    }

    /** {@code HH:mm:ss} plus a fraction trimmed of trailing zeros; seconds are always present. */
    static void appendTime(TextBuffer out, int secondOfDay, int nanos) {
        out.append2Digits(secondOfDay / 3600).append((byte) ':');
        out.append2Digits(secondOfDay / 60 % 60).append((byte) ':');
        out.append2Digits(secondOfDay % 60);
        if (nanos != 0) {
            out.append((byte) '.');
            int start = out.length();
            out.append((byte) ('0' + nanos / 100_000_000));
            int rest = nanos % 100_000_000;
            out.append2Digits(rest / 1_000_000).append2Digits(rest / 10_000 % 100)
                    .append2Digits(rest / 100 % 100).append2Digits(rest % 100);
            int end = out.length();
            while (out.array()[end - 1] == '0' && end > start) {
                end--;
            }
            out.truncate(end);
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
}
