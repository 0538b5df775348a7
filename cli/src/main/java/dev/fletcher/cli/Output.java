package dev.fletcher.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Human tables by default, JSON for scripts. */
final class Output {
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    enum Format { table, json }

    @Option(names = {"--output", "-o"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (for people, the default) or json (for scripts).")
    Format format = Format.table;

    boolean json() {
        return format == Format.json;
    }

    static void printJson(PrintWriter out, Object value) {
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Left-aligned columns, two spaces apart; null cells print as empty. */
    static void printTable(PrintWriter out, List<String> header, List<List<?>> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(header);
        for (List<?> row : rows) {
            List<String> texts = new ArrayList<>();
            for (Object value : row) {
                texts.add(cell(value));
            }
            cells.add(texts);
        }
        int[] widths = new int[header.size()];
        for (List<String> row : cells) {
            for (int i = 0; i < widths.length && i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String text = i < row.size() ? row.get(i) : "";
                line.append(text);
                if (i < widths.length - 1) {
                    line.append(" ".repeat(widths[i] - text.length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return number(d);
        }
        return value.toString();
    }

    /** Six significant digits: enough to read, short enough for a table; JSON output keeps every digit. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        if (Math.abs(value) < 1e-4) {
            // p-values of strong effects: 1.67e-07 reads better than a row of zeros
            return String.format(java.util.Locale.ROOT, "%.3g", value);
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(6)).stripTrailingZeros()
                .toPlainString();
    }
}
