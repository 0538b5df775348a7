package dev.fletcher.spi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Reads one value of an Arrow vector as plain Java, the same way everywhere results are looked at in the JVM. */
public final class ArrowValues {
    private ArrowValues() {
    }

    /**
     * Integers as Long, floats as Double, decimals as BigDecimal, text as String, booleans as Boolean, timestamps as
     * Instant (whatever their unit or zone), dates as LocalDate; anything else as its text; null as null.
     */
    public static Object value(FieldVector vector, int row) {
        if (vector.isNull(row)) {
            return null;
        }
        if (vector instanceof VarCharVector v) {
            return new String(v.get(row), StandardCharsets.UTF_8);
        }
        if (vector instanceof TimeStampVector v) {
            long raw = v.get(row);
            return switch (((ArrowType.Timestamp) v.getField().getType()).getUnit()) {
                case SECOND -> Instant.ofEpochSecond(raw);
                case MILLISECOND -> Instant.ofEpochMilli(raw);
                case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000L),
                        Math.floorMod(raw, 1_000_000L) * 1_000L);
                case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000_000L),
                        Math.floorMod(raw, 1_000_000_000L));
            };
        }
        if (vector instanceof DateDayVector v) {
            return LocalDate.ofEpochDay(v.get(row));
        }
        if (vector instanceof DateMilliVector v) {
            return LocalDate.ofEpochDay(Math.floorDiv(v.get(row), 86_400_000L));
        }
        if (vector instanceof BaseIntVector v) {
            return v.getValueAsLong(row);
        }
        if (vector instanceof Float8Vector v) {
            return v.get(row);
        }
        if (vector instanceof Float4Vector v) {
            return (double) v.get(row);
        }
        if (vector instanceof DecimalVector v) {
            return v.getObject(row);
        }
        if (vector instanceof BitVector v) {
            return v.get(row) != 0;
        }
        return String.valueOf(vector.getObject(row));
    }
}
