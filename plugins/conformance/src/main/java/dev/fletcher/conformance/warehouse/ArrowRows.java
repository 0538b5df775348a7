package dev.fletcher.conformance.warehouse;

import dev.fletcher.spi.ArrowValues;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/** Builds Arrow streams from plain Java rows and reads results back as plain Java values. */
public final class ArrowRows {
    private ArrowRows() {}

    /**
     * A reader over the given batches, sent through the Arrow IPC stream format as an upload would be.
     * Supported column types: int32, int64, float64, utf8, bool, timestamp[us, UTC] (Instant), date32 (LocalDate).
     */
    @SafeVarargs
    public static ArrowReader reader(BufferAllocator allocator, Schema schema, List<List<Object>>... batches) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
                ArrowStreamWriter writer = new ArrowStreamWriter(root, null, bytes)) {
            writer.start();
            for (List<List<Object>> batch : batches) {
                root.allocateNew();
                for (int row = 0; row < batch.size(); row++) {
                    for (int col = 0; col < schema.getFields().size(); col++) {
                        set(root.getVector(col), row, batch.get(row).get(col));
                    }
                }
                root.setRowCount(batch.size());
                writer.writeBatch();
            }
            writer.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrowStreamReader(new ByteArrayInputStream(bytes.toByteArray()), allocator);
    }

    private static void set(FieldVector vector, int row, Object value) {
        if (value == null) {
            vector.setNull(row);
        } else if (vector instanceof IntVector v) {
            v.setSafe(row, (Integer) value);
        } else if (vector instanceof BigIntVector v) {
            v.setSafe(row, (Long) value);
        } else if (vector instanceof Float8Vector v) {
            v.setSafe(row, (Double) value);
        } else if (vector instanceof VarCharVector v) {
            v.setSafe(row, ((String) value).getBytes(StandardCharsets.UTF_8));
        } else if (vector instanceof BitVector v) {
            v.setSafe(row, (Boolean) value ? 1 : 0);
        } else if (vector instanceof TimeStampMicroTZVector v) {
            Instant instant = (Instant) value;
            v.setSafe(row, Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                    instant.getNano() / 1_000));
        } else if (vector instanceof DateDayVector v) {
            v.setSafe(row, Math.toIntExact(((LocalDate) value).toEpochDay()));
        } else {
            throw new IllegalArgumentException("no test support for " + vector.getField());
        }
    }

    /** Every row of the reader (to its end), each as a list of {@link #value}s. Does not close the reader. */
    public static List<List<Object>> readAll(ArrowReader reader) {
        List<List<Object>> rows = new ArrayList<>();
        try {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                for (int row = 0; row < root.getRowCount(); row++) {
                    List<Object> values = new ArrayList<>();
                    for (FieldVector vector : root.getFieldVectors()) {
                        values.add(value(vector, row));
                    }
                    rows.add(values);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** One value as plain Java, as {@link ArrowValues} reads it. */
    public static Object value(FieldVector vector, int row) {
        return ArrowValues.value(vector, row);
    }

    /** Micros since the epoch, for building expectations from an Instant written by hand. */
    public static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    public static BigDecimal decimal(String value) {
        return new BigDecimal(value);
    }
}
