package dev.fletcher.server.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.fletcher.spi.ArrowValues;
import java.io.IOException;
import java.math.BigDecimal;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

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

    /** One value as plain Java (for monitors and Flight SQL), as {@link ArrowValues} reads it. */
    public static Object value(FieldVector vector, int row) {
        return ArrowValues.value(vector, row);
    }

    private static void value(FieldVector vector, int row, JsonGenerator json) throws IOException {
        write(value(vector, row), json);
    }

    /**
     * One plain Java value as JSON: numbers as numbers (NaN and infinities as null, since JSON has neither), booleans
     * as booleans, anything else (text, times) as its text.
     */
    public static void write(Object value, JsonGenerator json) throws IOException {
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
