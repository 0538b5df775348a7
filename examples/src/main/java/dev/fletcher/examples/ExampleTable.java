package dev.fletcher.examples;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One generated table held column by column on the heap (the example is a few MB), handed out as Arrow record
 * batches. Timestamps are microseconds since the epoch and travel as {@code timestamp[us, UTC]}.
 */
public final class ExampleTable {
    static final int BATCH_ROWS = 8192;

    /** The column types the example needs. */
    enum Type {
        STRING(ArrowType.Utf8.INSTANCE),
        INT(new ArrowType.Int(32, true)),
        LONG(new ArrowType.Int(64, true)),
        DOUBLE(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
        TIMESTAMP(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));

        final ArrowType arrowType;

        Type(ArrowType arrowType) {
            this.arrowType = arrowType;
        }
    }

    private record Column(String name, Type type, Object values) {
    }

    private final String name;
    private final int rowCount;
    private final List<Column> columns = new ArrayList<>();

    ExampleTable(String name, int rowCount) {
        this.name = name;
        this.rowCount = rowCount;
    }

    ExampleTable strings(String column, String[] values) {
        return add(column, Type.STRING, values, values.length);
    }

    ExampleTable ints(String column, int[] values) {
        return add(column, Type.INT, values, values.length);
    }

    ExampleTable longs(String column, long[] values) {
        return add(column, Type.LONG, values, values.length);
    }

    ExampleTable doubles(String column, double[] values) {
        return add(column, Type.DOUBLE, values, values.length);
    }

    ExampleTable timestamps(String column, long[] epochMicros) {
        return add(column, Type.TIMESTAMP, epochMicros, epochMicros.length);
    }

    private ExampleTable add(String column, Type type, Object values, int length) {
        if (length != rowCount) {
            throw new IllegalArgumentException(name + "." + column + " has " + length + " values, expected " + rowCount);
        }
        columns.add(new Column(column, type, values));
        return this;
    }

    public String name() {
        return name;
    }

    public int rowCount() {
        return rowCount;
    }

    public Schema schema() {
        List<Field> fields = new ArrayList<>();
        for (Column column : columns) {
            fields.add(new Field(column.name(), FieldType.nullable(column.type().arrowType), null));
        }
        return new Schema(fields);
    }

    /** A fresh reader over the rows; the caller closes it, which frees its vectors. */
    public ArrowReader reader(BufferAllocator allocator) {
        return new Reader(allocator);
    }

    private final class Reader extends ArrowReader {
        private int position;
        private long bytes;

        Reader(BufferAllocator allocator) {
            super(allocator);
        }

        @Override
        public boolean loadNextBatch() throws java.io.IOException {
            VectorSchemaRoot root = getVectorSchemaRoot();
            if (position >= rowCount) {
                root.setRowCount(0);
                return false;
            }
            int count = Math.min(BATCH_ROWS, rowCount - position);
            root.allocateNew();
            for (int c = 0; c < columns.size(); c++) {
                fill(root.getVector(c), columns.get(c), position, count);
            }
            root.setRowCount(count);
            position += count;
            return true;
        }

        private void fill(FieldVector vector, Column column, int from, int count) {
            switch (column.type()) {
                case STRING -> {
                    String[] values = (String[]) column.values();
                    VarCharVector strings = (VarCharVector) vector;
                    for (int i = 0; i < count; i++) {
                        byte[] utf8 = values[from + i].getBytes(StandardCharsets.UTF_8);
                        strings.setSafe(i, utf8);
                        bytes += utf8.length;
                    }
                }
                case INT -> {
                    int[] values = (int[]) column.values();
                    IntVector ints = (IntVector) vector;
                    for (int i = 0; i < count; i++) {
                        ints.setSafe(i, values[from + i]);
                    }
                    bytes += 4L * count;
                }
                case LONG -> {
                    long[] values = (long[]) column.values();
                    BigIntVector longs = (BigIntVector) vector;
                    for (int i = 0; i < count; i++) {
                        longs.setSafe(i, values[from + i]);
                    }
                    bytes += 8L * count;
                }
                case DOUBLE -> {
                    double[] values = (double[]) column.values();
                    Float8Vector doubles = (Float8Vector) vector;
                    for (int i = 0; i < count; i++) {
                        doubles.setSafe(i, values[from + i]);
                    }
                    bytes += 8L * count;
                }
                case TIMESTAMP -> {
                    long[] values = (long[]) column.values();
                    TimeStampMicroTZVector times = (TimeStampMicroTZVector) vector;
                    for (int i = 0; i < count; i++) {
                        times.setSafe(i, values[from + i]);
                    }
                    bytes += 8L * count;
                }
            }
            vector.setValueCount(count);
        }

        @Override
        public long bytesRead() {
            return bytes;
        }

        @Override
        protected void closeReadSource() {
            // The rows live on the heap; nothing to release besides the vectors the base class frees.
        }

        @Override
        protected Schema readSchema() {
            return schema();
        }
    }
}
