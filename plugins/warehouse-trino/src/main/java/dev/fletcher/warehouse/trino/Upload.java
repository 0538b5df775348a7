package dev.fletcher.warehouse.trino;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Arrow rows into a Trino table through INSERT ... VALUES of bound rows, each value cast to its column's type.
 * The driver spells parameters as literals in the statement's text, which Trino limits in length
 * ({@code query.max-length}); a statement therefore holds at most {@code maxRows} rows and about
 * {@link #TEXT_BUDGET} characters of values. Batches are read one at a time, so memory stays that of one batch.
 */
final class Upload {
    /** Characters of parameter literals per statement, well within the default query.max-length of 1,000,000. */
    static final int TEXT_BUDGET = 400_000;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private static final java.util.Set<String> SELF_TYPED = java.util.Set.of("BIGINT", "DOUBLE", "BOOLEAN", "VARCHAR",
            "VARBINARY");

    private final List<Field> fields;
    private final List<String> types = new ArrayList<>();
    private final String columns;
    private final String row;
    private final int maxRows;

    /**
     * @param maxRows       rows per statement
     * @param maxParameters parameters per statement, which bounds the rows as well
     */
    Upload(List<Field> fields, Function<String, String> quote, int maxRows, int maxParameters) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("the uploaded rows have no columns");
        }
        this.fields = fields;
        StringBuilder columns = new StringBuilder();
        StringBuilder row = new StringBuilder("(");
        for (Field field : fields) {
            String type = columnType(field);
            types.add(type);
            columns.append(columns.length() == 0 ? "" : ", ").append(quote.apply(field.getName())).append(' ')
                    .append(type);
            // The driver spells a long, double, boolean, string or bytes as a literal of the column's type already;
            // other values need the cast (each cast costs Trino time to analyse).
            row.append(row.length() == 1 ? "" : ", ")
                    .append(SELF_TYPED.contains(type) ? "?" : "CAST(? AS " + type + ")");
        }
        this.columns = columns.toString();
        this.row = row.append(')').toString();
        this.maxRows = Math.max(1, Math.min(maxRows, maxParameters / fields.size()));
    }

    /** The column list of the CREATE TABLE. */
    String columns() {
        return columns;
    }

    static String columnType(Field field) {
        if (field.getDictionary() != null) {
            throw unsupported(field);
        }
        ArrowType type = field.getType();
        if (type instanceof ArrowType.Int t) {
            int bits = t.getBitWidth() + (t.getIsSigned() ? 0 : 1);
            return bits <= 8 ? "TINYINT" : bits <= 16 ? "SMALLINT" : bits <= 32 ? "INTEGER" : bits <= 64 ? "BIGINT"
                    : "DECIMAL(20, 0)";
        }
        if (type instanceof ArrowType.FloatingPoint t) {
            if (t.getPrecision() == FloatingPointPrecision.HALF) {
                throw unsupported(field);
            }
            return t.getPrecision() == FloatingPointPrecision.DOUBLE ? "DOUBLE" : "REAL";
        }
        if (type instanceof ArrowType.Decimal t && t.getBitWidth() == 128) {
            return "DECIMAL(" + t.getPrecision() + ", " + t.getScale() + ")";
        }
        if (type instanceof ArrowType.Timestamp t) {
            return t.getTimezone() == null ? "TIMESTAMP(6)" : "TIMESTAMP(6) WITH TIME ZONE";
        }
        if (type instanceof ArrowType.Date) {
            return "DATE";
        }
        if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8) {
            return "VARCHAR";
        }
        if (type instanceof ArrowType.Bool) {
            return "BOOLEAN";
        }
        if (type instanceof ArrowType.Binary) {
            return "VARBINARY";
        }
        throw unsupported(field);
    }

    private static IllegalArgumentException unsupported(Field field) {
        return new IllegalArgumentException("column '" + field.getName() + "' has Arrow type " + field.getType()
                + (field.getDictionary() != null ? " (dictionary-encoded)" : "")
                + ", which cannot be uploaded to Trino");
    }

    /** Inserts every row, a statement per {@code maxRows} rows or {@link #TEXT_BUDGET} characters. */
    void insert(Connection connection, String table, ArrowReader rows) throws IOException, SQLException {
        VectorSchemaRoot root = rows.getVectorSchemaRoot();
        List<Object[]> pending = new ArrayList<>();
        long text = 0;
        while (rows.loadNextBatch()) {
            int count = root.getRowCount();
            for (int r = 0; r < count; r++) {
                Object[] values = new Object[fields.size()];
                for (int c = 0; c < values.length; c++) {
                    values[c] = value(root.getVector(c), r);
                    text += literalLength(values[c]);
                }
                pending.add(values);
                if (pending.size() >= maxRows || text >= TEXT_BUDGET) {
                    flush(connection, table, pending);
                    text = 0;
                }
            }
        }
        if (!pending.isEmpty()) {
            flush(connection, table, pending);
        }
    }

    private void flush(Connection connection, String table, List<Object[]> pending) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
        for (int i = 0; i < pending.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(row);
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int index = 1;
            for (Object[] values : pending) {
                for (Object value : values) {
                    bind(statement, index++, value);
                }
            }
            statement.executeUpdate();
        }
        pending.clear();
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof String v) {
            statement.setString(index, v);
        } else if (value instanceof Long v) {
            statement.setLong(index, v);
        } else if (value instanceof Double v) {
            statement.setDouble(index, v);
        } else if (value instanceof Float v) {
            statement.setFloat(index, v);
        } else if (value instanceof Boolean v) {
            statement.setBoolean(index, v);
        } else if (value instanceof BigDecimal v) {
            statement.setBigDecimal(index, v);
        } else if (value instanceof byte[] v) {
            statement.setBytes(index, v);
        } else {
            throw new IllegalStateException("no binding for " + value.getClass().getName());
        }
    }

    private static long literalLength(Object value) {
        if (value instanceof String v) {
            return 2L * v.length() + 16;
        }
        if (value instanceof byte[] v) {
            return 2L * v.length + 16;
        }
        return 32;
    }

    /** The value to bind: timestamps and dates as text the column's CAST reads. */
    private Object value(FieldVector vector, int row) {
        if (vector.isNull(row)) {
            return null;
        }
        if (vector instanceof UInt8Vector v) {
            return new BigDecimal(Long.toUnsignedString(v.get(row)));
        }
        if (vector instanceof BaseIntVector v) {
            return v.getValueAsLong(row);
        }
        if (vector instanceof Float8Vector v) {
            return v.get(row);
        }
        if (vector instanceof Float4Vector v) {
            return v.get(row);
        }
        if (vector instanceof BitVector v) {
            return v.get(row) != 0;
        }
        if (vector instanceof DecimalVector v) {
            return v.getObject(row);
        }
        if (vector instanceof VarCharVector v) {
            return v.getObject(row).toString();
        }
        if (vector instanceof LargeVarCharVector v) {
            return v.getObject(row).toString();
        }
        if (vector instanceof VarBinaryVector v) {
            return v.get(row);
        }
        if (vector instanceof DateDayVector v) {
            return LocalDate.ofEpochDay(v.get(row)).toString();
        }
        if (vector instanceof DateMilliVector v) {
            return LocalDate.ofEpochDay(Math.floorDiv(v.get(row), 86_400_000L)).toString();
        }
        if (vector instanceof TimeStampVector v) {
            ArrowType.Timestamp type = (ArrowType.Timestamp) v.getField().getType();
            String text = LocalDateTime.ofInstant(instant(v.get(row), type.getUnit()), ZoneOffset.UTC)
                    .format(TIMESTAMP);
            return type.getTimezone() == null ? text : text + " UTC";
        }
        throw new IllegalStateException("no upload for " + vector.getField());
    }

    private static Instant instant(long value, TimeUnit unit) {
        switch (unit) {
            case SECOND:
                return Instant.ofEpochSecond(value);
            case MILLISECOND:
                return Instant.ofEpochMilli(value);
            case MICROSECOND:
                return Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L);
            default:
                return Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
        }
    }
}
