package dev.fletcher.conformance.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A deliberately plain point-in-time implementation: loops over every source row for every anchor. Expected values
 * of the randomized tests come from here, never from the engine.
 */
final class Reference {
    private final List<Map<String, Object>> rows;
    private final List<String> keyColumns;
    private final String ts;
    private final String ct;

    Reference(List<Map<String, Object>> rows, List<String> keyColumns, String ts, String ct) {
        this.rows = rows;
        this.keyColumns = keyColumns;
        this.ts = ts;
        this.ct = ct;
    }

    private List<Map<String, Object>> visible(List<Object> key, Instant t, boolean asKnown) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (t == null || key.contains(null)) {
            return out;
        }
        for (Map<String, Object> row : rows) {
            boolean sameKey = true;
            for (int i = 0; i < keyColumns.size(); i++) {
                sameKey &= Objects.equals(row.get(keyColumns.get(i)), key.get(i));
            }
            Instant eventTime = (Instant) row.get(ts);
            if (!sameKey || eventTime == null || eventTime.isAfter(t)) {
                continue;
            }
            if (asKnown && ct != null && row.get(ct) != null && ((Instant) row.get(ct)).isAfter(t)) {
                continue;
            }
            out.add(row);
        }
        return out;
    }

    /** The newest row by event time, created time, then the tiebreak columns (nulls lowest, text by code point). */
    private Map<String, Object> newest(List<Map<String, Object>> candidates, List<String> tiebreak) {
        Map<String, Object> best = null;
        for (Map<String, Object> row : candidates) {
            if (best == null || compare(row, best, tiebreak) > 0) {
                best = row;
            }
        }
        return best;
    }

    private int compare(Map<String, Object> a, Map<String, Object> b, List<String> tiebreak) {
        int c = compareValues(a.get(ts), b.get(ts));
        if (c == 0 && ct != null) {
            c = compareValues(a.get(ct), b.get(ct));
        }
        for (int i = 0; c == 0 && i < tiebreak.size(); i++) {
            c = compareValues(a.get(tiebreak.get(i)), b.get(tiebreak.get(i)));
        }
        return c;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof String x && b instanceof String y) {
            return codePoints(x).compareTo(codePoints(y));
        }
        if (a instanceof Number x && b instanceof Number y && !(a instanceof Double) && !(b instanceof Double)) {
            return Long.compare(x.longValue(), y.longValue());
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return ((Comparable) a).compareTo(b);
    }

    /** Code points written as fixed-width hex, so plain string order is code point (UTF-8 byte) order. */
    private static String codePoints(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> out.append(String.format("%06x", cp)));
        return out.toString();
    }

    /** Latest value of {@code column} at t, no older than ttl (null = never too old). */
    Object latest(List<Object> key, Instant t, Duration ttl, String column, List<String> tiebreak, boolean asKnown) {
        Map<String, Object> best = newest(visible(key, t, asKnown), tiebreak);
        if (best == null || (ttl != null && ((Instant) best.get(ts)).isBefore(t.minus(ttl)))) {
            return null;
        }
        return best.get(column);
    }

    private List<Map<String, Object>> window(List<Object> key, Instant t, Duration window, Predicate<Map<String, Object>> filter,
            boolean asKnown) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : visible(key, t, asKnown)) {
            if (((Instant) row.get(ts)).isAfter(t.minus(window)) && filter.test(row)) {
                out.add(row);
            }
        }
        return out;
    }

    /** The aggregation over (t - window, t]; {@code column} null counts rows. */
    Object aggregate(List<Object> key, Instant t, Duration window, String aggregation, String column,
            Predicate<Map<String, Object>> filter, boolean asKnown) {
        if (t == null || key.contains(null)) {
            return null;
        }
        List<Map<String, Object>> inWindow = window(key, t, window, filter, asKnown);
        if (aggregation.equals("last")) {
            Map<String, Object> best = newest(inWindow, List.of(column));
            return best == null ? null : best.get(column);
        }
        if (aggregation.equals("count") && column == null) {
            return (long) inWindow.size();
        }
        List<Object> values = new ArrayList<>();
        inWindow.forEach(row -> {
            if (row.get(column) != null) {
                values.add(row.get(column));
            }
        });
        switch (aggregation) {
            case "count":
                return (long) values.size();
            case "count_distinct":
                Set<Object> distinct = new HashSet<>(values);
                return (long) distinct.size();
            case "sum":
                boolean integers = rows.stream().map(r -> r.get(column)).filter(Objects::nonNull).findFirst()
                        .map(v -> v instanceof Long).orElse(true);
                if (integers) {
                    return values.stream().mapToLong(v -> (Long) v).sum();
                }
                return values.stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
            case "min":
                return values.stream().min(Reference::compareValues).orElse(null);
            case "max":
                return values.stream().max(Reference::compareValues).orElse(null);
            default:
                break;
        }
        if (values.isEmpty()) {
            return null;
        }
        double n = values.size();
        double mean = values.stream().mapToDouble(v -> ((Number) v).doubleValue()).sum() / n;
        if (aggregation.equals("avg")) {
            return mean;
        }
        if (values.size() < 2) {
            return null;
        }
        double squares = values.stream().mapToDouble(v -> Math.pow(((Number) v).doubleValue() - mean, 2)).sum();
        return switch (aggregation) {
            case "variance" -> squares / (n - 1);
            case "stddev" -> Math.sqrt(squares / (n - 1));
            default -> throw new IllegalArgumentException(aggregation);
        };
    }
}
