package dev.fletcher.server.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Writes Arrow rows as JSON arrays: timestamps as ISO-8601 UTC strings, numbers as numbers, the rest as text. */
public final class JsonRows {
    private JsonRows() {
    }

    public static void batch(VectorSchemaRoot root, JsonGenerator json) throws IOException {
        for (int row = 0; row < root.getRowCount(); row++) {
            json.writeStartArray();
            for (FieldVector vector : root.getFieldVectors()) {
                value(vector, row, json);
            }
            json.writeEndArray();
        }
    }

    /** One value as plain Java (for monitors and Flight SQL): Instant, Long, Double, BigDecimal, Boolean or String. */
    public static Object value(FieldVector vector, int row) {
        if (vector.isNull(row)) {
            return null;
        }
        if (vector instanceof TimeStampVector v) {
            ArrowType.Timestamp type = (ArrowType.Timestamp) v.getField().getType();
            long raw = v.get(row);
            return switch (type.getUnit()) {
                case SECOND -> Instant.ofEpochSecond(raw);
                case MILLISECOND -> Instant.ofEpochMilli(raw);
                case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000L),
                        TimeUnit.MICROSECONDS.toNanos(Math.floorMod(raw, 1_000_000L)));
                case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000_000L),
                        Math.floorMod(raw, 1_000_000_000L));
            };
        }
        if (vector instanceof DateDayVector v) {
            return LocalDate.ofEpochDay(v.get(row));
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
            return v.get(row) == 1;
        }
        return String.valueOf(vector.getObject(row));
    }

    private static void value(FieldVector vector, int row, JsonGenerator json) throws IOException {
        Object value = value(vector, row);
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                json.writeNull();
            } else {
                json.writeNumber(d);
            }
        } else if (value instanceof BigDecimal d) {
            json.writeNumber(d);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else {
            json.writeString(value.toString());
        }
    }
}
