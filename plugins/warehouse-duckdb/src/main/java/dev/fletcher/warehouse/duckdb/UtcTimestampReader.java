package dev.fletcher.warehouse.duckdb;

import dev.fletcher.warehouse.jdbc.StatementReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Passes DuckDB's Arrow batches through, retyping every top-level timestamp column as {@code timestamp[us, UTC]}.
 * Microsecond columns (TIMESTAMP, TIMESTAMPTZ) only change their type, without copying; the rarer second,
 * millisecond and nanosecond columns are rescaled in place.
 */
final class UtcTimestampReader extends StatementReader {
    private final ArrowReader source;
    private final List<TimeUnit> rescale = new ArrayList<>();

    UtcTimestampReader(BufferAllocator allocator, ArrowReader source, AutoCloseable release,
            Function<Exception, RuntimeException> errors) {
        super(allocator, release, errors);
        this.source = source;
    }

    static Schema normalize(Schema schema) {
        List<Field> fields = new ArrayList<>();
        for (Field field : schema.getFields()) {
            fields.add(field.getType() instanceof ArrowType.Timestamp
                    ? new Field(field.getName(), new FieldType(field.isNullable(), UTC_MICROS, null,
                            field.getMetadata()), null)
                    : field);
        }
        return new Schema(fields, schema.getCustomMetadata());
    }

    @Override
    protected Schema readSchema() throws IOException {
        try {
            Schema schema = source.getVectorSchemaRoot().getSchema();
            for (Field field : schema.getFields()) {
                rescale.add(field.getType() instanceof ArrowType.Timestamp t ? t.getUnit() : null);
            }
            return normalize(schema);
        } catch (IOException | RuntimeException e) {
            throw error(e);
        }
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        prepareLoadNextBatch();
        boolean loaded;
        try {
            loaded = source.loadNextBatch();
        } catch (IOException | RuntimeException e) {
            throw error(e);
        }
        if (!loaded) {
            return false;
        }
        VectorSchemaRoot from = source.getVectorSchemaRoot();
        // The buffers' layout is the same for every timestamp unit and zone, so the batch loads as is.
        ArrowRecordBatch batch = new VectorUnloader(from).getRecordBatch();
        loadRecordBatch(batch);
        VectorSchemaRoot to = getVectorSchemaRoot();
        for (int i = 0; i < rescale.size(); i++) {
            TimeUnit unit = rescale.get(i);
            if (unit != null && unit != TimeUnit.MICROSECOND) {
                rescale((TimeStampMicroTZVector) to.getVector(i), unit);
            }
        }
        return true;
    }

    private static void rescale(TimeStampMicroTZVector vector, TimeUnit unit) {
        for (int row = 0; row < vector.getValueCount(); row++) {
            if (!vector.isNull(row)) {
                long value = vector.get(row);
                vector.set(row, switch (unit) {
                    case SECOND -> Math.multiplyExact(value, 1_000_000L);
                    case MILLISECOND -> Math.multiplyExact(value, 1_000L);
                    case NANOSECOND -> Math.floorDiv(value, 1_000L);
                    case MICROSECOND -> value;
                });
            }
        }
    }

    @Override
    public long bytesRead() {
        return source.bytesRead();
    }

    @Override
    protected void closeSource() throws IOException {
        source.close();
    }
}
