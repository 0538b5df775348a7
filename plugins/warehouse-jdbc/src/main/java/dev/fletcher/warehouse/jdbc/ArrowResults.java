package dev.fletcher.warehouse.jdbc;

import static dev.fletcher.warehouse.jdbc.StatementReader.UTC_MICROS;

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
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * JDBC results as Arrow through the Arrow JDBC adapter, with the types settled: every timestamp becomes
 * {@code timestamp[us, UTC]} (the adapter alone would keep milliseconds), a decimal without a precision Arrow can
 * hold becomes float64, and types the adapter lacks (uuid, json, arrays, ...) come as their text. A driver that
 * tells zoned timestamps apart in its own way overrides {@link #zoned}.
 */
public class ArrowResults {
    /** For drivers that report a zoned timestamp as {@link Types#TIMESTAMP_WITH_TIMEZONE}. */
    public static final ArrowResults STANDARD = new ArrowResults();

    private static final ArrowType FLOAT64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

    protected ArrowResults() {}

    /** Whether a timestamp column carries its zone (read as sent) rather than none (read as UTC). */
    protected boolean zoned(ResultSetMetaData metadata, int column) throws SQLException {
        return metadata.getColumnType(column) == Types.TIMESTAMP_WITH_TIMEZONE;
    }

    /**
     * A timestamp column's value as an instant: with a zone as sent, without one as UTC. A driver that gives zoned
     * values another way overrides this.
     */
    protected Instant instant(ResultSet result, int column, boolean zoned) throws SQLException {
        if (zoned) {
            OffsetDateTime value = result.getObject(column, OffsetDateTime.class);
            return value == null ? null : value.toInstant();
        }
        LocalDateTime value = result.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /** The schema of results with these columns. */
    public final Schema schema(ResultSetMetaData metadata, BufferAllocator allocator) throws SQLException {
        return JdbcToArrowUtils.jdbcToArrowSchema(metadata, config(allocator, 1, metadata));
    }

    /**
     * Streams the result in batches of {@code batchSize} rows.
     *
     * @param release closes the statement and the result; called once, when the reader closes
     * @param errors turns a failure while reading into the session's error
     */
    public final ArrowReader reader(ResultSet result, BufferAllocator allocator, int batchSize, AutoCloseable release,
            Function<Exception, RuntimeException> errors) throws SQLException {
        ResultSetMetaData metadata = result.getMetaData();
        JdbcToArrowConfig config = config(allocator, batchSize, metadata);
        Schema schema = JdbcToArrowUtils.jdbcToArrowSchema(metadata, config);
        return new Reader(allocator, schema, ArrowVectorIterator.create(result, config), release, errors);
    }

    private JdbcToArrowConfig config(BufferAllocator allocator, int batchSize, ResultSetMetaData metadata)
            throws SQLException {
        boolean[] zoned = new boolean[metadata.getColumnCount() + 1];
        for (int column = 1; column <= metadata.getColumnCount(); column++) {
            zoned[column] = zoned(metadata, column);
        }
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        return new JdbcToArrowConfigBuilder(allocator, utc)
                .setTargetBatchSize(batchSize)
                .setReuseVectorSchemaRoot(false)
                .setJdbcToArrowTypeConverter(info -> arrowType(info, utc))
                .setJdbcConsumerGetter((type, column, nullable, vector, config) -> type.equals(UTC_MICROS)
                        ? new UtcMicrosConsumer(this, (TimeStampMicroTZVector) vector, column, zoned[column])
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

    /** Reads a timestamp as an instant: with a zone as sent, without one as UTC. */
    private static final class UtcMicrosConsumer implements JdbcConsumer<TimeStampMicroTZVector> {
        private final ArrowResults results;
        private final int column;
        private final boolean zoned;
        private TimeStampMicroTZVector vector;
        private int row;

        UtcMicrosConsumer(ArrowResults results, TimeStampMicroTZVector vector, int column, boolean zoned) {
            this.results = results;
            this.vector = vector;
            this.column = column;
            this.zoned = zoned;
        }

        @Override
        public void consume(ResultSet result) throws SQLException {
            Instant instant = results.instant(result, column, zoned);
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
    private static final class Reader extends StatementReader {
        private final Schema schema;
        private final ArrowVectorIterator batches;

        Reader(BufferAllocator allocator, Schema schema, ArrowVectorIterator batches, AutoCloseable release,
                Function<Exception, RuntimeException> errors) {
            super(allocator, release, errors);
            this.schema = schema;
            this.batches = batches;
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
                throw error(e);
            }
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeSource() {
            batches.close();
        }
    }
}
