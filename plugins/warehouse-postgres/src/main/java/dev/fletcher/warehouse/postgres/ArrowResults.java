package dev.fletcher.warehouse.postgres;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.TimeZone;
import java.util.function.Function;
import org.apache.arrow.adapter.jdbc.ArrowVectorIterator;
import org.apache.arrow.adapter.jdbc.JdbcFieldInfo;
import org.apache.arrow.adapter.jdbc.JdbcToArrowConfig;
import org.apache.arrow.adapter.jdbc.JdbcToArrowConfigBuilder;
import org.apache.arrow.adapter.jdbc.JdbcToArrowUtils;
import org.apache.arrow.adapter.jdbc.consumer.JdbcConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * JDBC results as Arrow through the Arrow JDBC adapter, with PostgreSQL's types settled: every timestamp becomes
 * {@code timestamp[us, UTC]} (the adapter alone would keep milliseconds), numeric without a declared precision
 * becomes float64 (it has no fixed Arrow decimal), and types the adapter lacks (uuid, json, arrays, ...) come as
 * their text.
 */
final class ArrowResults {
    static final ArrowType UTC_MICROS = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
    private static final ArrowType FLOAT64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

    private ArrowResults() {}

    static JdbcToArrowConfig config(BufferAllocator allocator, int batchSize, ResultSetMetaData metadata)
            throws SQLException {
        boolean[] zoned = new boolean[metadata.getColumnCount() + 1];
        for (int column = 1; column <= metadata.getColumnCount(); column++) {
            zoned[column] = "timestamptz".equalsIgnoreCase(metadata.getColumnTypeName(column));
        }
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        return new JdbcToArrowConfigBuilder(allocator, utc)
                .setTargetBatchSize(batchSize)
                .setReuseVectorSchemaRoot(false)
                .setJdbcToArrowTypeConverter(info -> arrowType(info, utc))
                .setJdbcConsumerGetter((type, column, nullable, vector, config) -> type.equals(UTC_MICROS)
                        ? new UtcMicrosConsumer((TimeStampMicroTZVector) vector, column, zoned[column])
                        : JdbcToArrowUtils.getConsumer(type, column, nullable, vector, config))
                .build();
    }

    private static ArrowType arrowType(JdbcFieldInfo info, Calendar utc) {
        switch (info.getJdbcType()) {
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE:
                return UTC_MICROS;
            case Types.NUMERIC, Types.DECIMAL:
                return info.getPrecision() > 0 && info.getPrecision() <= 38
                        ? new ArrowType.Decimal(info.getPrecision(), info.getScale(), 128)
                        : FLOAT64;
            case Types.ARRAY, Types.OTHER, Types.STRUCT, Types.JAVA_OBJECT, Types.SQLXML, Types.DISTINCT:
                return ArrowType.Utf8.INSTANCE;
            default:
                try {
                    return JdbcToArrowUtils.getArrowTypeFromJdbcType(info, utc);
                } catch (UnsupportedOperationException e) {
                    return ArrowType.Utf8.INSTANCE;
                }
        }
    }

    static Schema schema(ResultSetMetaData metadata, JdbcToArrowConfig config) throws SQLException {
        return JdbcToArrowUtils.jdbcToArrowSchema(metadata, config);
    }

    /** Reads a timestamp as an instant: with a zone as sent, without one as UTC. */
    private static final class UtcMicrosConsumer implements JdbcConsumer<TimeStampMicroTZVector> {
        private final int column;
        private final boolean zoned;
        private TimeStampMicroTZVector vector;
        private int row;

        UtcMicrosConsumer(TimeStampMicroTZVector vector, int column, boolean zoned) {
            this.vector = vector;
            this.column = column;
            this.zoned = zoned;
        }

        @Override
        public void consume(ResultSet result) throws SQLException {
            Instant instant;
            if (zoned) {
                OffsetDateTime value = result.getObject(column, OffsetDateTime.class);
                instant = value == null ? null : value.toInstant();
            } else {
                LocalDateTime value = result.getObject(column, LocalDateTime.class);
                instant = value == null ? null : value.toInstant(ZoneOffset.UTC);
            }
            if (instant == null) {
                vector.setNull(row);
            } else {
                try {
                    vector.setSafe(row, Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                            instant.getNano() / 1_000));
                } catch (ArithmeticException e) {
                    throw new SQLException("column " + column + " holds a timestamp (" + instant
                            + ", e.g. infinity) that Arrow microseconds cannot hold");
                }
            }
            row++;
        }

        @Override
        public void resetValueVector(TimeStampMicroTZVector vector) {
            this.vector = vector;
            this.row = 0;
        }

        @Override
        public void close() {
            vector.close();
        }
    }

    /** The adapter's iterator as a reader; each batch moves into the reader's root without copying. */
    static final class Reader extends ArrowReader {
        private final Schema schema;
        private final ArrowVectorIterator batches;
        private final AutoCloseable resources;
        private final Function<Exception, RuntimeException> errors;
        private boolean closed;

        Reader(BufferAllocator allocator, Schema schema, ArrowVectorIterator batches, AutoCloseable resources,
                Function<Exception, RuntimeException> errors) {
            super(allocator);
            this.schema = schema;
            this.batches = batches;
            this.resources = resources;
            this.errors = errors;
        }

        @Override
        protected Schema readSchema() {
            return schema;
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            prepareLoadNextBatch();
            try {
                if (!batches.hasNext()) {
                    return false;
                }
                try (VectorSchemaRoot next = batches.next()) {
                    loadRecordBatch(new VectorUnloader(next).getRecordBatch());
                }
                return true;
            } catch (RuntimeException e) {
                throw errors.apply(e);
            }
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try (AutoCloseable last = resources) {
                batches.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
