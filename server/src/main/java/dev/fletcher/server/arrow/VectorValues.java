package dev.fletcher.server.arrow;

import java.math.BigDecimal;
import java.math.RoundingMode;
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

/**
 * Writes plain Java values (as {@link dev.fletcher.spi.ArrowValues} reads them: Long, Double, BigDecimal, String,
 * Boolean, Instant, LocalDate) into a vector of the type a warehouse described for them.
 */
public final class VectorValues {
    private VectorValues() {
    }

    /**
     * Sets one value, growing the vector as needed; null sets null.
     *
     * @throws IllegalArgumentException when the value cannot be held by the vector's type
     */
    public static void set(FieldVector vector, int row, Object value) {
        if (value == null || value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            setNull(vector, row);
        } else if (vector instanceof VarCharVector v) {
            v.setSafe(row, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
        } else if (vector instanceof BaseIntVector v && value instanceof Number n) {
            v.setWithPossibleTruncate(row, n.longValue());
        } else if (vector instanceof Float8Vector v && value instanceof Number n) {
            v.setSafe(row, n.doubleValue());
        } else if (vector instanceof Float4Vector v && value instanceof Number n) {
            v.setSafe(row, n.floatValue());
        } else if (vector instanceof DecimalVector v && value instanceof Number n) {
            BigDecimal decimal = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
            v.setSafe(row, decimal.setScale(v.getScale(), RoundingMode.HALF_EVEN));
        } else if (vector instanceof BitVector v && value instanceof Boolean b) {
            v.setSafe(row, b ? 1 : 0);
        } else if (vector instanceof TimeStampVector v && value instanceof Instant t) {
            v.setSafe(row, switch (((ArrowType.Timestamp) v.getField().getType()).getUnit()) {
                case SECOND -> t.getEpochSecond();
                case MILLISECOND -> t.toEpochMilli();
                case MICROSECOND -> Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
                case NANOSECOND -> Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
            });
        } else if (vector instanceof DateDayVector v && value instanceof LocalDate d) {
            v.setSafe(row, Math.toIntExact(d.toEpochDay()));
        } else if (vector instanceof DateMilliVector v && value instanceof LocalDate d) {
            v.setSafe(row, d.toEpochDay() * 86_400_000L);
        } else {
            throw new IllegalArgumentException("a " + value.getClass().getSimpleName() + " value cannot be written to"
                    + " column '" + vector.getName() + "' of type " + vector.getField().getType());
        }
    }

    private static void setNull(FieldVector vector, int row) {
        while (vector.getValueCapacity() <= row) {
            vector.reAlloc();
        }
        vector.setNull(row);
    }
}
