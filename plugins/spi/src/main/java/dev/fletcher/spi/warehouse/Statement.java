package dev.fletcher.spi.warehouse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * SQL text with positional {@code ?} bind parameters. Values supplied by a request only ever travel as
 * parameters. Supported parameter types: null, String, Boolean, Integer, Long, Double, BigDecimal,
 * java.time.Instant, LocalDate, LocalDateTime (taken as UTC).
 */
public record Statement(String sql, List<Object> parameters) {
    public Statement {
        parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
    }

    public static Statement of(String sql, Object... parameters) {
        return new Statement(sql, java.util.Arrays.asList(parameters));
    }
}
