package dev.fletcher.warehouse.postgres;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
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
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/** Arrow rows into a PostgreSQL table: column types for CREATE TABLE, rows through COPY in its text format. */
final class CopyUpload {
    private static final int FLUSH_CHARS = 1 << 16;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private CopyUpload() {}

    /** The column list of a CREATE TABLE for these fields. */
    static String columns(List<Field> fields, Function<String, String> quote) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("the uploaded rows have no columns");
        }
        StringBuilder sql = new StringBuilder();
        for (Field field : fields) {
            sql.append(sql.length() == 0 ? "" : ", ").append(quote.apply(field.getName())).append(' ')
                    .append(columnType(field));
        }
        return sql.toString();
    }

    static String columnType(Field field) {
        if (field.getDictionary() != null) {
            throw unsupported(field);
        }
        ArrowType type = field.getType();
        if (type instanceof ArrowType.Int t) {
            int bits = t.getBitWidth() + (t.getIsSigned() ? 0 : 1);
            return bits <= 16 ? "SMALLINT" : bits <= 32 ? "INTEGER" : bits <= 64 ? "BIGINT" : "NUMERIC(20, 0)";
        }
        if (type instanceof ArrowType.FloatingPoint t) {
            return t.getPrecision() == FloatingPointPrecision.DOUBLE ? "DOUBLE PRECISION" : "REAL";
        }
        if (type instanceof ArrowType.Decimal t) {
            return "NUMERIC(" + t.getPrecision() + ", " + t.getScale() + ")";
        }
        if (type instanceof ArrowType.Timestamp t) {
            return t.getTimezone() == null ? "TIMESTAMP" : "TIMESTAMP WITH TIME ZONE";
        }
        return switch (type.getTypeID()) {
            case Utf8, LargeUtf8 -> "TEXT";
            case Binary, LargeBinary, FixedSizeBinary -> "BYTEA";
            case Bool -> "BOOLEAN";
            case Date -> "DATE";
            case Time -> "TIME";
            default -> throw unsupported(field);
        };
    }

    private static IllegalArgumentException unsupported(Field field) {
        return new IllegalArgumentException("column '" + field.getName() + "' has the Arrow type " + field.getType()
                + (field.getDictionary() != null ? " (dictionary encoded)" : "") + ", which PostgreSQL tables here"
                + " do not take; use integers, floats, decimals, strings, binary, booleans, dates, times or"
                + " timestamps");
    }

    /** Streams every batch of the reader into the table; answers the rows written. */
    static long copy(CopyManager copy, String table, String columnList, ArrowReader rows)
            throws SQLException, IOException {
        VectorSchemaRoot root = rows.getVectorSchemaRoot();
        CopyIn in = copy.copyIn("COPY " + table + " (" + columnList + ") FROM STDIN");
        try {
            StringBuilder text = new StringBuilder(FLUSH_CHARS + 1024);
            while (rows.loadNextBatch()) {
                List<FieldVector> vectors = root.getFieldVectors();
                for (int row = 0; row < root.getRowCount(); row++) {
                    for (int col = 0; col < vectors.size(); col++) {
                        if (col > 0) {
                            text.append('\t');
                        }
                        append(text, vectors.get(col), row);
                    }
                    text.append('\n');
                    if (text.length() >= FLUSH_CHARS) {
                        flush(in, text);
                    }
                }
            }
            flush(in, text);
            return in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static void flush(CopyIn in, StringBuilder text) throws SQLException {
        if (text.length() > 0) {
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            text.setLength(0);
        }
    }

    private static void append(StringBuilder text, FieldVector vector, int row) {
        if (vector.isNull(row)) {
            text.append("\\N");
        } else if (vector instanceof UInt8Vector v) {
            text.append(v.getObjectNoOverflow(row));
        } else if (vector instanceof BaseIntVector v) {
            text.append(v.getValueAsLong(row));
        } else if (vector instanceof Float8Vector v) {
            text.append(v.get(row));
        } else if (vector instanceof Float4Vector v) {
            text.append(v.get(row));
        } else if (vector instanceof Float2Vector v) {
            text.append(v.getValueAsFloat(row));
        } else if (vector instanceof DecimalVector v) {
            text.append(v.getObject(row).toPlainString());
        } else if (vector instanceof Decimal256Vector v) {
            text.append(((BigDecimal) v.getObject(row)).toPlainString());
        } else if (vector instanceof VarCharVector v) {
            escape(text, new String(v.get(row), StandardCharsets.UTF_8));
        } else if (vector instanceof LargeVarCharVector v) {
            escape(text, new String(v.get(row), StandardCharsets.UTF_8));
        } else if (vector instanceof BitVector v) {
            text.append(v.get(row) == 1 ? 't' : 'f');
        } else if (vector instanceof DateDayVector v) {
            text.append(LocalDate.ofEpochDay(v.get(row)));
        } else if (vector instanceof DateMilliVector v) {
            text.append(LocalDate.ofEpochDay(Math.floorDiv(v.get(row), 86_400_000L)));
        } else if (vector instanceof TimeStampVector v) {
            long micros = micros(v.get(row), ((ArrowType.Timestamp) v.getField().getType()).getUnit());
            LocalDateTime utc = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    (int) Math.floorMod(micros, 1_000_000L) * 1_000, ZoneOffset.UTC);
            text.append(TIMESTAMP.format(utc));
            if (((ArrowType.Timestamp) v.getField().getType()).getTimezone() != null) {
                text.append("+00");
            }
        } else if (vector instanceof TimeSecVector v) {
            text.append(LocalTime.ofSecondOfDay(v.get(row)));
        } else if (vector instanceof TimeMilliVector v) {
            text.append(LocalTime.ofNanoOfDay(v.get(row) * 1_000_000L));
        } else if (vector instanceof TimeMicroVector v) {
            text.append(LocalTime.ofNanoOfDay(v.get(row) * 1_000L));
        } else if (vector instanceof TimeNanoVector v) {
            text.append(LocalTime.ofNanoOfDay(v.get(row)));
        } else if (vector instanceof VarBinaryVector v) {
            text.append("\\\\x").append(HexFormat.of().formatHex(v.get(row)));
        } else if (vector instanceof LargeVarBinaryVector v) {
            text.append("\\\\x").append(HexFormat.of().formatHex(v.get(row)));
        } else if (vector instanceof FixedSizeBinaryVector v) {
            text.append("\\\\x").append(HexFormat.of().formatHex(v.get(row)));
        } else {
            throw unsupported(vector.getField());
        }
    }

    private static long micros(long value, TimeUnit unit) {
        return switch (unit) {
            case SECOND -> Math.multiplyExact(value, 1_000_000L);
            case MILLISECOND -> Math.multiplyExact(value, 1_000L);
            case MICROSECOND -> value;
            case NANOSECOND -> Math.floorDiv(value, 1_000L);
        };
    }

    /** COPY's text format: backslash starts an escape, tab and newline end fields and rows. */
    private static void escape(StringBuilder text, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> text.append(c);
            }
        }
    }
}
