package dev.fletcher.sdk;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A metrics query ({@code POST /api/v1/metrics/query}, CONTRACT §7). Immutable; each {@code with}-style call answers
 * a changed copy:
 *
 * <pre>{@code
 * MetricQuery query = MetricQuery.of("revenue", "orders")
 *         .groupBy("metric_time__day", "country")
 *         .where(MetricQuery.Filter.in("country", "DE", "FR"))
 *         .between(LocalDate.parse("2026-02-01"), LocalDate.parse("2026-03-01"))
 *         .orderBy("metric_time__day", "-revenue");
 * }</pre>
 *
 * @param metrics the metrics to compute, at least one
 * @param groupBy the group keys, in the answer's column order: {@code metric_time__<grain>}, dimensions and
 *                {@code <feature_view>__<feature>}; none gives one row
 * @param where   filters on source rows, all of which must hold
 * @param start   event times from this one count; null for no bound
 * @param end     event times before this one count; null for no bound
 * @param fill    whether every time bucket in [start, end) appears, also those without rows
 * @param orderBy answer columns to sort by, ascending unless prefixed with {@code -}; empty for the group keys
 * @param limit   at most this many rows, after ordering; null for all
 */
public record MetricQuery(List<String> metrics, List<String> groupBy, List<Filter> where, Instant start, Instant end,
        boolean fill, List<String> orderBy, Long limit) {

    public MetricQuery {
        metrics = names(metrics, "metrics");
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("a metrics query needs at least one metric");
        }
        groupBy = names(groupBy, "groupBy");
        where = where == null ? List.of() : List.copyOf(where);
        orderBy = names(orderBy, "orderBy");
        if (limit != null && limit < 0) {
            throw new IllegalArgumentException("limit must be zero or more, got " + limit);
        }
    }

    /** The given metrics, over all time, in one row. */
    public static MetricQuery of(String... metrics) {
        return of(Arrays.asList(metrics));
    }

    /** The given metrics, over all time, in one row. */
    public static MetricQuery of(List<String> metrics) {
        return new MetricQuery(metrics, null, null, null, null, false, null, null);
    }

    /** Grouped by these keys instead. */
    public MetricQuery groupBy(String... keys) {
        return new MetricQuery(metrics, Arrays.asList(keys), where, start, end, fill, orderBy, limit);
    }

    /** Filtered by these items instead. */
    public MetricQuery where(Filter... filters) {
        return new MetricQuery(metrics, groupBy, Arrays.asList(filters), start, end, fill, orderBy, limit);
    }

    /** Event times in [start, end). */
    public MetricQuery between(Instant start, Instant end) {
        return new MetricQuery(metrics, groupBy, where, start, end, fill, orderBy, limit);
    }

    /** Event times from midnight UTC of {@code start} to before midnight UTC of {@code end}. */
    public MetricQuery between(LocalDate start, LocalDate end) {
        return between(midnight(start), midnight(end));
    }

    public MetricQuery start(Instant start) {
        return new MetricQuery(metrics, groupBy, where, start, end, fill, orderBy, limit);
    }

    public MetricQuery end(Instant end) {
        return new MetricQuery(metrics, groupBy, where, start, end, fill, orderBy, limit);
    }

    /** With {@code true}, buckets without rows appear too: 0 for count and sum, null for the rest. */
    public MetricQuery fill(boolean fill) {
        return new MetricQuery(metrics, groupBy, where, start, end, fill, orderBy, limit);
    }

    /** Sorted by these answer columns instead; {@code -revenue} sorts descending. */
    public MetricQuery orderBy(String... columns) {
        return new MetricQuery(metrics, groupBy, where, start, end, fill, Arrays.asList(columns), limit);
    }

    public MetricQuery limit(long limit) {
        return new MetricQuery(metrics, groupBy, where, start, end, fill, orderBy, limit);
    }

    /** The request body, with the server's field names. */
    Map<String, Object> toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("metrics", metrics);
        if (!groupBy.isEmpty()) {
            body.put("group_by", groupBy);
        }
        if (!where.isEmpty()) {
            body.put("where", where.stream().map(Filter::toJson).toList());
        }
        if (start != null) {
            body.put("start", start.toString());
        }
        if (end != null) {
            body.put("end", end.toString());
        }
        if (fill) {
            body.put("fill", true);
        }
        if (!orderBy.isEmpty()) {
            body.put("order_by", orderBy);
        }
        if (limit != null) {
            body.put("limit", limit);
        }
        return body;
    }

    private static Instant midnight(LocalDate date) {
        return date == null ? null : date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static List<String> names(List<String> names, String field) {
        if (names == null) {
            return List.of();
        }
        for (String name : names) {
            if (name == null) {
                throw new IllegalArgumentException(field + " holds a null name");
            }
        }
        return List.copyOf(names);
    }

    /**
     * One where item: a dimension (or {@code metric_time__<grain>}) compared with values that travel as bind
     * parameters. SQL's null logic holds: a null dimension value matches no comparison, {@code !=} and
     * {@code not_in} included.
     *
     * @param op     {@code = != < <= > >= in not_in is_null is_not_null}
     * @param values one value for a comparison, one or more for {@code in} and {@code not_in}, none for the null tests;
     *               strings, numbers and booleans, with times and dates as ISO-8601 text
     */
    public record Filter(String dimension, String op, List<Object> values) {
        private static final Set<String> COMPARISONS = Set.of("=", "!=", "<", "<=", ">", ">=");
        private static final Set<String> LISTS = Set.of("in", "not_in");
        private static final Set<String> NULL_TESTS = Set.of("is_null", "is_not_null");

        public Filter {
            Objects.requireNonNull(dimension, "dimension");
            Objects.requireNonNull(op, "op");
            values = values == null ? List.of() : Collections.unmodifiableList(normalized(values, dimension));
            if (!fits(op, values.size())) {
                throw new IllegalArgumentException(shape(op, dimension, values.size()));
            }
        }

        public static Filter eq(String dimension, Object value) {
            return new Filter(dimension, "=", Collections.singletonList(value));
        }

        public static Filter ne(String dimension, Object value) {
            return new Filter(dimension, "!=", Collections.singletonList(value));
        }

        public static Filter lt(String dimension, Object value) {
            return new Filter(dimension, "<", Collections.singletonList(value));
        }

        public static Filter le(String dimension, Object value) {
            return new Filter(dimension, "<=", Collections.singletonList(value));
        }

        public static Filter gt(String dimension, Object value) {
            return new Filter(dimension, ">", Collections.singletonList(value));
        }

        public static Filter ge(String dimension, Object value) {
            return new Filter(dimension, ">=", Collections.singletonList(value));
        }

        public static Filter in(String dimension, Object... values) {
            return in(dimension, Arrays.asList(values));
        }

        public static Filter in(String dimension, Collection<?> values) {
            return new Filter(dimension, "in", new ArrayList<>(values));
        }

        public static Filter notIn(String dimension, Object... values) {
            return notIn(dimension, Arrays.asList(values));
        }

        public static Filter notIn(String dimension, Collection<?> values) {
            return new Filter(dimension, "not_in", new ArrayList<>(values));
        }

        public static Filter isNull(String dimension) {
            return new Filter(dimension, "is_null", List.of());
        }

        public static Filter isNotNull(String dimension) {
            return new Filter(dimension, "is_not_null", List.of());
        }

        Map<String, Object> toJson() {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("dimension", dimension);
            item.put("op", op);
            if (COMPARISONS.contains(op)) {
                item.put("value", values.get(0));
            } else if (LISTS.contains(op)) {
                item.put("values", values);
            }
            return item;
        }

        private static boolean fits(String op, int count) {
            if (COMPARISONS.contains(op)) {
                return count == 1;
            }
            if (LISTS.contains(op)) {
                return count > 0;
            }
            return NULL_TESTS.contains(op) && count == 0;
        }

        private static String shape(String op, String dimension, int count) {
            if (COMPARISONS.contains(op)) {
                return "where " + dimension + " " + op + " takes one value, got " + count;
            }
            if (LISTS.contains(op)) {
                return "where " + dimension + " " + op + " takes one or more values";
            }
            if (NULL_TESTS.contains(op)) {
                return "where " + dimension + " " + op + " takes no value, got " + count;
            }
            return "'" + op + "' is not an op: use one of = != < <= > >= in not_in is_null is_not_null";
        }

        // The server reads times only as ISO-8601 text; Jackson would write some java.time values as numbers.
        private static List<Object> normalized(List<?> values, String dimension) {
            List<Object> out = new ArrayList<>(values.size());
            for (Object value : values) {
                if (value == null) {
                    throw new IllegalArgumentException("where " + dimension + ": a null value matches nothing; use"
                            + " Filter.isNull or Filter.isNotNull");
                }
                if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                    out.add(value);
                } else if (value instanceof ZonedDateTime zoned) {
                    // Its toString appends the region in brackets, which is not ISO-8601.
                    out.add(zoned.toOffsetDateTime().toString());
                } else if (value instanceof Instant || value instanceof LocalDate || value instanceof LocalDateTime
                        || value instanceof OffsetDateTime) {
                    out.add(value.toString());
                } else {
                    throw new IllegalArgumentException("where " + dimension + ": " + value.getClass().getSimpleName()
                            + " is not a value a filter can send; use a string, number, boolean or java.time value");
                }
            }
            return out;
        }
    }
}
