package dev.fletcher.server.trainingset;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Writes record batches as RFC 4180 CSV: a header row, times as ISO-8601 in UTC, nulls as empty fields. */
final class CsvRows {
    private CsvRows() {
    }

    static void header(List<String> columns, Writer out) throws IOException {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(columns.get(i)));
        }
        out.write("\r\n");
    }

    static void batch(VectorSchemaRoot root, Writer out) throws IOException {
        List<FieldVector> vectors = root.getFieldVectors();
        for (int row = 0; row < root.getRowCount(); row++) {
            for (int c = 0; c < vectors.size(); c++) {
                if (c > 0) {
                    out.write(',');
                }
                out.write(cell(vectors.get(c), row));
            }
            out.write("\r\n");
        }
    }

    private static String cell(FieldVector vector, int row) {
        if (vector.isNull(row)) {
            return "";
        }
        if (vector instanceof TimeStampVector times) {
            return instant(times.get(row), ((ArrowType.Timestamp) vector.getField().getType()).getUnit()).toString();
        }
        if (vector instanceof DateDayVector days) {
            return LocalDate.ofEpochDay(days.get(row)).toString();
        }
        Object value = vector.getObject(row);
        if (value instanceof LocalDateTime local) {
            return local.toString();
        }
        return quote(value.toString());
    }

    private static Instant instant(long value, TimeUnit unit) {
        return switch (unit) {
            case SECOND -> Instant.ofEpochSecond(value);
            case MILLISECOND -> Instant.ofEpochMilli(value);
            case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L),
                    Math.floorMod(value, 1_000_000L) * 1_000L);
            case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L),
                    Math.floorMod(value, 1_000_000_000L));
        };
    }

    private static String quote(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
