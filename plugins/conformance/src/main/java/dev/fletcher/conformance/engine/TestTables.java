package dev.fletcher.conformance.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Test rows: a schema, rows of plain Java values (String, Long, Integer, Double, Boolean, Instant, LocalDate) and
 * the same rows as an Arrow stream. Timestamps without a zone hold the instant's UTC wall time.
 */
record TestTables(Schema schema, List<List<Object>> rows) {
    static Field utf8(String name) {
        return field(name, ArrowType.Utf8.INSTANCE);
    }

    static Field int64(String name) {
        return field(name, new ArrowType.Int(64, true));
    }

    static Field int32(String name) {
        return field(name, new ArrowType.Int(32, true));
    }

    static Field float64(String name) {
        return field(name, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE));
    }

    static Field bool(String name) {
        return field(name, ArrowType.Bool.INSTANCE);
    }

    static Field zoned(String name) {
        return field(name, new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));
    }

    static Field naive(String name) {
        return field(name, new ArrowType.Timestamp(TimeUnit.MICROSECOND, null));
    }

    static Field date(String name) {
        return field(name, new ArrowType.Date(DateUnit.DAY));
    }

    private static Field field(String name, ArrowType type) {
        return new Field(name, FieldType.nullable(type), null);
    }

    static TestTables of(List<Field> fields, List<List<Object>> rows) {
        return new TestTables(new Schema(fields), rows);
    }

    /** The rows as maps from column name to value, for the reference implementation. */
    List<Map<String, Object>> maps() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Object> row : rows) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < schema.getFields().size(); i++) {
                map.put(schema.getFields().get(i).getName(), row.get(i));
            }
            out.add(map);
        }
        return out;
    }

    /** An Arrow stream of the rows, in batches of at most 1000 rows, through the IPC format as uploads travel. */
    ArrowReader reader(BufferAllocator allocator) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
                ArrowStreamWriter writer = new ArrowStreamWriter(root, null, bytes)) {
            writer.start();
            int from = 0;
            do {
                int to = Math.min(rows.size(), from + 1000);
                root.allocateNew();
                for (int row = from; row < to; row++) {
                    for (int col = 0; col < schema.getFields().size(); col++) {
                        set(root.getVector(col), row - from, rows.get(row).get(col));
                    }
                }
                root.setRowCount(to - from);
                writer.writeBatch();
                from = to;
            } while (from < rows.size());
            writer.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrowStreamReader(new ByteArrayInputStream(bytes.toByteArray()), allocator);
    }

    private static void set(FieldVector vector, int row, Object value) {
        if (value == null) {
            vector.setNull(row);
        } else if (vector instanceof BigIntVector v) {
            v.setSafe(row, ((Number) value).longValue());
        } else if (vector instanceof IntVector v) {
            v.setSafe(row, ((Number) value).intValue());
        } else if (vector instanceof Float8Vector v) {
            v.setSafe(row, ((Number) value).doubleValue());
        } else if (vector instanceof VarCharVector v) {
            v.setSafe(row, ((String) value).getBytes(StandardCharsets.UTF_8));
        } else if (vector instanceof BitVector v) {
            v.setSafe(row, (Boolean) value ? 1 : 0);
        } else if (vector instanceof TimeStampMicroTZVector v) {
            v.setSafe(row, micros((Instant) value));
        } else if (vector instanceof TimeStampMicroVector v) {
            v.setSafe(row, micros((Instant) value));
        } else if (vector instanceof DateDayVector v) {
            v.setSafe(row, Math.toIntExact(((LocalDate) value).toEpochDay()));
        } else {
            throw new IllegalArgumentException("no test support for " + vector.getField());
        }
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }
}
