package dev.fletcher.spi.warehouse;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * SQL text with positional {@code ?} bind parameters. Values supplied by a request only ever travel as
 * parameters. Supported parameter types: null, String, Boolean, Integer, Long, Double, BigDecimal,
 * java.time.Instant, LocalDate, LocalDateTime (taken as UTC); anything else is refused here, before it can
 * reach a warehouse.
 */
public record Statement(String sql, List<Object> parameters) {
    /** The parameter classes every warehouse binds. */
    public static final List<Class<?>> PARAMETER_TYPES = List.of(String.class, Boolean.class, Integer.class,
            Long.class, Double.class, BigDecimal.class, Instant.class, LocalDate.class, LocalDateTime.class);

    public Statement {
        Objects.requireNonNull(sql, "sql");
        parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            if (value != null && !PARAMETER_TYPES.contains(value.getClass())) {
                throw new IllegalArgumentException("parameter " + (i + 1) + " is a " + value.getClass().getName()
                        + ", which cannot be bound; use null or one of "
                        + PARAMETER_TYPES.stream().map(Class::getSimpleName).toList());
            }
        }
    }

    public static Statement of(String sql, Object... parameters) {
        return new Statement(sql, parameters == null ? Collections.singletonList(null) : Arrays.asList(parameters));
    }
}
