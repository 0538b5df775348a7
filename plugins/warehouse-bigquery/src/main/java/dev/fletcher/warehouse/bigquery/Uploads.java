package dev.fletcher.warehouse.bigquery;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.StandardSQLTypeName;
import dev.fletcher.spi.ArrowValues;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Between Arrow and BigQuery: the column types both ways, and rows as the newline-delimited JSON a load reads. */
final class Uploads {
    private Uploads() {}

    /** BigQuery's schema for uploaded Arrow columns; a timestamp with or without a zone is a TIMESTAMP (UTC). */
    static com.google.cloud.bigquery.Schema schema(Schema arrow) {
        List<Field> fields = new ArrayList<>();
        for (org.apache.arrow.vector.types.pojo.Field field : arrow.getFields()) {
            fields.add(Field.newBuilder(field.getName(), type(field)).setMode(Field.Mode.NULLABLE).build());
        }
        return com.google.cloud.bigquery.Schema.of(fields);
    }

    static StandardSQLTypeName type(org.apache.arrow.vector.types.pojo.Field field) {
        ArrowType type = field.getType();
        if (type instanceof ArrowType.Int) {
            return StandardSQLTypeName.INT64;
        }
        if (type instanceof ArrowType.FloatingPoint) {
            return StandardSQLTypeName.FLOAT64;
        }
        if (type instanceof ArrowType.Decimal d) {
            return d.getPrecision() - d.getScale() <= 29 && d.getScale() <= 9 ? StandardSQLTypeName.NUMERIC
                    : StandardSQLTypeName.BIGNUMERIC;
        }
        if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8) {
            return StandardSQLTypeName.STRING;
        }
        if (type instanceof ArrowType.Bool) {
            return StandardSQLTypeName.BOOL;
        }
        if (type instanceof ArrowType.Date) {
            return StandardSQLTypeName.DATE;
        }
        if (type instanceof ArrowType.Timestamp) {
            return StandardSQLTypeName.TIMESTAMP;
        }
        throw new IllegalArgumentException("column '" + field.getName() + "' has Arrow type " + type
                + ", which cannot be uploaded to BigQuery");
    }

    /** The Arrow schema BigQuery's Storage Read API produces for these columns (timestamps as UTC microseconds). */
    static Schema arrowSchema(com.google.cloud.bigquery.Schema schema) {
        List<org.apache.arrow.vector.types.pojo.Field> fields = new ArrayList<>();
        FieldList list = schema.getFields();
        for (Field field : list) {
            fields.add(new org.apache.arrow.vector.types.pojo.Field(field.getName(),
                    FieldType.nullable(arrowType(field)), null));
        }
        return new Schema(fields);
    }

    private static ArrowType arrowType(Field field) {
        if (field.getMode() == Field.Mode.REPEATED) {
            return ArrowType.Utf8.INSTANCE;
        }
        StandardSQLTypeName type = field.getType().getStandardType();
        return switch (type) {
            case INT64 -> new ArrowType.Int(64, true);
            case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case NUMERIC -> new ArrowType.Decimal(38, 9, 128);
            case BIGNUMERIC -> new ArrowType.Decimal(76, 38, 256);
            case BOOL -> ArrowType.Bool.INSTANCE;
            case BYTES -> ArrowType.Binary.INSTANCE;
            case DATE -> new ArrowType.Date(DateUnit.DAY);
            case TIMESTAMP, DATETIME -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
            case TIME -> new ArrowType.Time(TimeUnit.MICROSECOND, 64);
            default -> ArrowType.Utf8.INSTANCE;
        };
    }

    /** Every row as one JSON object a line; timestamps as UTC text with microseconds, numbers as JSON numbers. */
    static void writeJson(ArrowReader rows, OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        VectorSchemaRoot root = rows.getVectorSchemaRoot();
        while (rows.loadNextBatch()) {
            List<FieldVector> vectors = root.getFieldVectors();
            for (int row = 0; row < root.getRowCount(); row++) {
                writer.write('{');
                boolean first = true;
                for (FieldVector vector : vectors) {
                    Object value = ArrowValues.value(vector, row);
                    if (value == null) {
                        continue;
                    }
                    writer.write(first ? "" : ",");
                    first = false;
                    string(writer, vector.getName());
                    writer.write(':');
                    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
                        string(writer, d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                    } else if (value instanceof Number || value instanceof Boolean) {
                        writer.write(value.toString());
                    } else if (value instanceof Instant instant) {
                        string(writer, instant.toString());
                    } else {
                        string(writer, value.toString());
                    }
                }
                writer.write("}\n");
            }
        }
        writer.flush();
    }

    static void string(Writer writer, String text) throws IOException {
        writer.write('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> writer.write("\\\"");
                case '\\' -> writer.write("\\\\");
                case '\n' -> writer.write("\\n");
                case '\r' -> writer.write("\\r");
                case '\t' -> writer.write("\\t");
                default -> {
                    if (c < 0x20) {
                        writer.write(String.format("\\u%04x", (int) c));
                    } else {
                        writer.write(c);
                    }
                }
            }
        }
        writer.write('"');
    }
}
