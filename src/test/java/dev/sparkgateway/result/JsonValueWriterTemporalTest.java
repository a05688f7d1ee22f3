package dev.sparkgateway.result;

import static dev.sparkgateway.result.JsonValueWriterScalarTest.json;
import static dev.sparkgateway.result.JsonValueWriterScalarTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.IntervalYearVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.apache.arrow.vector.TimeStampSecTZVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JsonValueWriterTemporalTest {

    @RegisterExtension
    final ArrowMemory memory = new ArrowMemory();
    private final RootAllocator allocator = memory.allocator();

    private static long micros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
    }

    @Test
    void dates() {
        try (DateDayVector v = new DateDayVector("d", allocator); DateMilliVector ms = new DateMilliVector("m", allocator)) {
            v.setSafe(0, (int) LocalDate.of(2024, 1, 31).toEpochDay());
            v.setSafe(1, -1);
            v.setSafe(2, (int) LocalDate.of(1, 1, 1).toEpochDay());
            v.setSafe(3, (int) LocalDate.of(9999, 12, 31).toEpochDay());
            v.setNull(4);
            v.setValueCount(5);
            assertEquals(List.of("\"2024-01-31\"", "\"1969-12-31\"", "\"0001-01-01\"", "\"9999-12-31\"", "null"), json(v));
            assertEquals(Arrays.asList("2024-01-31", "1969-12-31", "0001-01-01", "9999-12-31", null), text(v));
            ms.setSafe(0, -86_400_000L * 366);
            ms.setValueCount(1);
            assertEquals(List.of("1968-12-31"), text(ms));
        }
    }

    @Test
    void dateFormattingMatchesJavaTimeAcrossTheCalendar() {
        TextBuffer buffer = new TextBuffer();
        long last = LocalDate.of(12000, 12, 31).toEpochDay();
        for (long day = LocalDate.of(-12000, 1, 1).toEpochDay(); day <= last; day += 31) {
            TemporalWriters.appendDate(buffer.reset(), day);
            assertEquals(LocalDate.ofEpochDay(day).toString(), buffer.toString());
        }
        // Every day around leap years and era boundaries.
        for (int year : new int[] {-1, 0, 1, 1600, 1900, 1969, 1970, 2000, 2024, 2100, 9999}) {
            for (long day = LocalDate.of(year, 1, 1).toEpochDay() - 1; day <= LocalDate.of(year, 12, 31).toEpochDay(); day++) {
                TemporalWriters.appendDate(buffer.reset(), day);
                assertEquals(LocalDate.ofEpochDay(day).toString(), buffer.toString());
            }
        }
    }

    @Test
    void zonedTimestampsAreUtcInstantsWithMinimalFraction() {
        try (TimeStampMicroTZVector v = new TimeStampMicroTZVector("ts", allocator, "America/Los_Angeles")) {
            v.setSafe(0, micros(Instant.parse("2024-01-31T12:34:56.123456Z")));
            v.setSafe(1, micros(Instant.parse("2024-01-31T12:34:56Z")));
            v.setSafe(2, micros(Instant.parse("2024-01-31T00:00:00.120Z")));
            v.setSafe(3, -1);
            v.setSafe(4, -1_500_000);
            v.setSafe(5, micros(Instant.parse("1900-02-28T23:59:59.000001Z")));
            v.setNull(6);
            v.setValueCount(7);
            assertEquals(List.of("\"2024-01-31T12:34:56.123456Z\"", "\"2024-01-31T12:34:56Z\"",
                    "\"2024-01-31T00:00:00.12Z\"", "\"1969-12-31T23:59:59.999999Z\"", "\"1969-12-31T23:59:58.5Z\"",
                    "\"1900-02-28T23:59:59.000001Z\"", "null"), json(v));
            assertEquals("1969-12-31T23:59:59.999999Z", text(v).get(3));
        }
    }

    @Test
    void randomInstantsRoundTripThroughInstantParse() {
        Random random = new Random(42);
        int n = 2000;
        long min = micros(Instant.parse("0001-01-01T00:00:00Z"));
        long max = micros(Instant.parse("9999-12-31T23:59:59.999999Z"));
        try (TimeStampMicroTZVector v = new TimeStampMicroTZVector("ts", allocator, "UTC")) {
            long[] values = new long[n];
            for (int i = 0; i < n; i++) {
                values[i] = min + Math.floorMod(random.nextLong(), max - min);
                v.setSafe(i, values[i]);
            }
            v.setValueCount(n);
            List<String> text = text(v);
            for (int i = 0; i < n; i++) {
                assertEquals(Instant.EPOCH.plus(values[i], ChronoUnit.MICROS), Instant.parse(text.get(i)), text.get(i));
            }
        }
    }

    @Test
    void zoneLessTimestampsAreLocalDateTimes() {
        try (TimeStampMicroVector v = new TimeStampMicroVector("ntz", allocator)) {
            v.setSafe(0, micros(LocalDateTime.parse("2024-01-31T12:34:56.5").toInstant(ZoneOffset.UTC)));
            v.setSafe(1, micros(LocalDateTime.parse("1950-06-01T00:00:00").toInstant(ZoneOffset.UTC)));
            v.setValueCount(2);
            assertEquals(List.of("\"2024-01-31T12:34:56.5\"", "\"1950-06-01T00:00:00\""), json(v));
            assertEquals(List.of("2024-01-31T12:34:56.5", "1950-06-01T00:00:00"), text(v));
        }
    }

    @Test
    void otherTimestampUnits() {
        try (TimeStampSecTZVector sec = new TimeStampSecTZVector("s", allocator, "UTC");
             TimeStampMilliVector milli = new TimeStampMilliVector("m", allocator);
             TimeStampNanoTZVector nano = new TimeStampNanoTZVector("n", allocator, "+01:00")) {
            sec.setSafe(0, -86_401);
            sec.setValueCount(1);
            milli.setSafe(0, -1);
            milli.setValueCount(1);
            nano.setSafe(0, Instant.parse("2024-01-31T12:34:56.123456789Z").getEpochSecond() * 1_000_000_000L + 123_456_789);
            nano.setSafe(1, -1);
            nano.setValueCount(2);
            assertEquals(List.of("1969-12-30T23:59:59Z"), text(sec));
            assertEquals(List.of("1969-12-31T23:59:59.999"), text(milli));
            assertEquals(List.of("2024-01-31T12:34:56.123456789Z", "1969-12-31T23:59:59.999999999Z"), text(nano));
        }
    }

    @Test
    void yearMonthIntervalsArePeriods() {
        try (IntervalYearVector v = new IntervalYearVector("ym", allocator)) {
            int[] months = {14, 0, -14, 3, 24, -1, Integer.MIN_VALUE};
            for (int i = 0; i < months.length; i++) {
                v.setSafe(i, months[i]);
            }
            v.setNull(months.length);
            v.setValueCount(months.length + 1);
            assertEquals(Arrays.asList("P1Y2M", "P0M", "-P1Y2M", "P3M", "P2Y", "-P1M", "-P178956970Y8M", null), text(v));
            assertEquals("\"P1Y2M\"", json(v).get(0));
        }
    }

    @Test
    void dayTimeIntervalsUseDurationText() {
        FieldType micro = FieldType.nullable(new ArrowType.Duration(TimeUnit.MICROSECOND));
        FieldType nano = FieldType.nullable(new ArrowType.Duration(TimeUnit.NANOSECOND));
        try (DurationVector v = new DurationVector("dt", micro, allocator); DurationVector n = new DurationVector("n", nano, allocator)) {
            Duration d = Duration.ofHours(26).plusMinutes(3).plusSeconds(4).plusMillis(500);
            v.setSafe(0, d.toNanos() / 1000);
            v.setSafe(1, -1);
            v.setSafe(2, 0);
            v.setNull(3);
            v.setValueCount(4);
            n.setSafe(0, -1_500_000_001L);
            n.setValueCount(1);
            assertEquals(List.of("\"PT26H3M4.5S\"", "\"PT-0.000001S\"", "\"PT0S\"", "null"), json(v));
            assertEquals(Duration.ofNanos(-1_500_000_001L).toString(), text(n).get(0));
        }
    }
}
