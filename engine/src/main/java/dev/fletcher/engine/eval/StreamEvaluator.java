package dev.fletcher.engine.eval;

import dev.fletcher.catalog.model.Aggregation;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.Measure;
import dev.fletcher.engine.plan.RelativeWindow;
import dev.fletcher.engine.plan.SourceScan;
import dev.fletcher.engine.plan.RequestTimes;
import dev.fletcher.spi.online.OnlineKeys;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A view's measures evaluated over one entity's events in memory, as the engine's SQL evaluates them over the
 * source's rows (see AnchoredAggregateSql): windows relative to the watermark with the same bounds, catalog filters
 * as SQL predicates, latest values ordered by event time, created time and the tiebreak columns (nulls lowest,
 * strings by code point), {@code count} and {@code sum} 0 over no rows and everything else null. Built from the
 * engine's own plan of the view, so both read the same columns with the same kinds.
 */
public final class StreamEvaluator {
    private static final long MICROS = 1_000_000L;

    private final SourceScan scan;
    private final List<Measure> measures;
    private final int[] keys;
    private final int time;
    private final int created;
    private final int[] measureColumn;
    private final int[][] tiebreaks;
    private final DerivedExpression[] filters;
    private final Map<String, Integer> byName = new HashMap<>();
    /** The longest bounded lookback (microseconds); events older than the watermark minus this never count again. */
    private final long horizon;
    /** Some latest value reaches back without limit, so the best dropped row is kept. */
    private final boolean unbounded;

    public StreamEvaluator(SourceScan scan, List<Measure> measures, boolean integerDivisionTruncates) {
        this.scan = scan;
        this.measures = List.copyOf(measures);
        List<Column> columns = scan.columns();
        for (int i = 0; i < columns.size(); i++) {
            byName.putIfAbsent(columns.get(i).name().toLowerCase(Locale.ROOT), i);
        }
        keys = scan.keyColumns().stream().mapToInt(this::index).toArray();
        time = index(scan.timestamp());
        created = scan.createdTimestamp() == null ? -1 : index(scan.createdTimestamp());
        measureColumn = new int[measures.size()];
        tiebreaks = new int[measures.size()][];
        filters = new DerivedExpression[measures.size()];
        long longest = 0;
        boolean reachesBack = false;
        for (int m = 0; m < measures.size(); m++) {
            Measure measure = measures.get(m);
            if (measure instanceof Measure.Windowed w) {
                if (w.aggregation() == Aggregation.APPROX_PERCENTILE) {
                    throw new IllegalArgumentException("feature '" + w.name() + "' is an approx_percentile, which"
                            + " streams do not compute; leave it out of stream-fed views");
                }
                measureColumn[m] = w.column() == null ? -1 : index(w.column());
            } else {
                Measure.Latest l = (Measure.Latest) measure;
                measureColumn[m] = index(l.column());
                tiebreaks[m] = l.tiebreak().stream().mapToInt(this::index).toArray();
            }
            if (measure.filter() != null) {
                filters[m] = DerivedExpression.compile(measure.filter(),
                        name -> byName.getOrDefault(name.toLowerCase(Locale.ROOT), -1), integerDivisionTruncates);
            }
            RelativeWindow.Bound lower = measure.window().lower();
            if (lower == null) {
                reachesBack = true;
            } else {
                longest = Math.max(longest, -lower.offsetSeconds() * MICROS);
            }
        }
        horizon = longest;
        unbounded = reachesBack;
    }

    private int index(String column) {
        Integer i = byName.get(column.toLowerCase(Locale.ROOT));
        if (i == null) {
            throw new IllegalArgumentException("the source has no column '" + column + "'");
        }
        return i;
    }

    /** A message's row as source columns of their warehouse kinds. @throws IllegalArgumentException for bad values */
    public Object[] row(Map<String, Object> message) {
        Map<String, Object> folded = new HashMap<>();
        message.forEach((k, v) -> folded.put(k.toLowerCase(Locale.ROOT), v));
        List<Column> columns = scan.columns();
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
            Object value = folded.get(columns.get(i).name().toLowerCase(Locale.ROOT));
            try {
                row[i] = convert(value, columns.get(i).kind());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("column '" + columns.get(i).name() + "': " + e.getMessage());
            }
        }
        return row;
    }

    private static Object convert(Object value, ColumnKind kind) {
        if (value == null) {
            return null;
        }
        return switch (kind) {
            case STRING -> value instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue())
                    : value.toString();
            case INTEGER -> value instanceof Number n ? (Object) n.longValue() : (Object) Long.parseLong(value.toString().trim());
            case FLOATING, DECIMAL -> value instanceof Number n ? (Object) n.doubleValue()
                    : (Object) Double.parseDouble(value.toString().trim());
            case BOOLEAN -> value instanceof Boolean b ? b : value instanceof Number n ? (Object) (n.doubleValue() != 0)
                    : (Object) Boolean.parseBoolean(value.toString().trim());
            case TIMESTAMP -> value instanceof Number n ? Instant.ofEpochMilli(n.longValue())
                    : RequestTimes.parse(value.toString());
            case DATE -> value instanceof Number n ? LocalDate.ofEpochDay(n.longValue())
                    : LocalDate.parse(value.toString().trim().substring(0, 10));
            case OTHER -> value;
        };
    }

    /** The entity key of a row, or null when a key column is null. */
    public String key(Object[] row) {
        List<Object> parts = new ArrayList<>(keys.length);
        for (int k : keys) {
            parts.add(row[k]);
        }
        return OnlineKeys.encode(parts);
    }

    /** The row's event time in microseconds, or null when it has none. */
    public Long time(Object[] row) {
        return row[time] == null ? null : RequestTimes.micros((Instant) row[time]);
    }

    public EntityState.Event event(Object[] row) {
        long createdAt = created < 0 || row[created] == null ? Long.MIN_VALUE : RequestTimes.micros((Instant) row[created]);
        return new EntityState.Event(time(row), createdAt, row);
    }

    /** Every measure's value at the watermark {@code w} (microseconds), in the measures' order. */
    public Object[] evaluate(EntityState state, long w) {
        Object[] values = new Object[measures.size()];
        for (int m = 0; m < measures.size(); m++) {
            Measure measure = measures.get(m);
            if (measure instanceof Measure.Windowed windowed) {
                values[m] = aggregate(windowed, m, state, w);
            } else {
                EntityState.Event best = null;
                for (EntityState.Event event : state.events) {
                    if (counts(m, event, w) && (best == null || compare(event, best, tiebreaks[m]) > 0)) {
                        best = event;
                    }
                }
                EntityState.Event dropped = state.bestDropped;
                if (dropped != null && counts(m, dropped, w) && (best == null || compare(dropped, best, tiebreaks[m]) > 0)) {
                    best = dropped;
                }
                values[m] = best == null ? null : best.values()[measureColumn[m]];
            }
        }
        return values;
    }

    private boolean counts(int m, EntityState.Event event, long w) {
        return inWindow(event.time(), w, measures.get(m).window()) && passes(m, event);
    }

    private boolean passes(int m, EntityState.Event event) {
        if (filters[m] == null) {
            return true;
        }
        Object kept;
        try {
            kept = filters[m].evaluate(event.values());
        } catch (RuntimeException e) {
            return false;
        }
        return Boolean.TRUE.equals(kept) || (kept instanceof Number n && n.doubleValue() != 0);
    }

    static boolean inWindow(long t, long w, RelativeWindow window) {
        RelativeWindow.Bound lower = window.lower();
        if (lower != null) {
            long bound = w + lower.offsetSeconds() * MICROS;
            if (lower.inclusive() ? t < bound : t <= bound) {
                return false;
            }
        }
        long upper = w + window.upper().offsetSeconds() * MICROS;
        return window.upper().inclusive() ? t <= upper : t < upper;
    }

    private Object aggregate(Measure.Windowed measure, int m, EntityState state, long w) {
        int column = measureColumn[m];
        List<Object> xs = new ArrayList<>();
        long rows = 0;
        for (EntityState.Event event : state.events) {
            if (counts(m, event, w)) {
                rows++;
                Object x = column < 0 ? null : event.values()[column];
                if (x != null) {
                    xs.add(x);
                }
            }
        }
        boolean integer = measure.kind() == ColumnKind.INTEGER;
        switch (measure.aggregation()) {
            case COUNT:
                return column < 0 ? rows : (long) xs.size();
            case COUNT_DISTINCT: {
                Set<Object> distinct = new HashSet<>(xs);
                return (long) distinct.size();
            }
            case SUM: {
                if (integer) {
                    long sum = 0;
                    for (Object x : xs) {
                        sum = Math.addExact(sum, ((Number) x).longValue());
                    }
                    return sum;
                }
                double sum = 0;
                for (Object x : xs) {
                    sum += ((Number) x).doubleValue();
                }
                return sum;
            }
            case AVG: {
                if (xs.isEmpty()) {
                    return null;
                }
                double sum = 0;
                for (Object x : xs) {
                    sum += ((Number) x).doubleValue();
                }
                return sum / xs.size();
            }
            case MIN:
            case MAX: {
                Object best = null;
                boolean max = measure.aggregation() == Aggregation.MAX;
                for (Object x : xs) {
                    if (best == null || (max ? compareValues(x, best) > 0 : compareValues(x, best) < 0)) {
                        best = x;
                    }
                }
                return best;
            }
            case STDDEV:
            case VARIANCE: {
                if (xs.size() < 2) {
                    return null;
                }
                double mean = 0;
                for (Object x : xs) {
                    mean += ((Number) x).doubleValue();
                }
                mean /= xs.size();
                double squares = 0;
                for (Object x : xs) {
                    double d = ((Number) x).doubleValue() - mean;
                    squares += d * d;
                }
                double variance = squares / (xs.size() - 1);
                return measure.aggregation() == Aggregation.VARIANCE ? variance : Math.sqrt(variance);
            }
            default:
                throw new IllegalStateException(measure.aggregation() + " is not computed in streams");
        }
    }

    /** Orders rows as latest-value lookups do: event time, created time, then the tiebreak columns; nulls lowest. */
    private static int compare(EntityState.Event a, EntityState.Event b, int[] tiebreak) {
        int c = Long.compare(a.time(), b.time());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.created(), b.created());
        if (c != 0) {
            return c;
        }
        for (int column : tiebreak) {
            Object x = a.values()[column];
            Object y = b.values()[column];
            if (x == null || y == null) {
                c = x == null ? (y == null ? 0 : -1) : 1;
            } else {
                c = compareValues(x, y);
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareValues(Object x, Object y) {
        if (x instanceof Number a && y instanceof Number b) {
            return a instanceof Long && b instanceof Long ? Long.compare(a.longValue(), b.longValue())
                    : Double.compare(a.doubleValue(), b.doubleValue());
        }
        if (x instanceof String a && y instanceof String b) {
            return codePoints(a, b);
        }
        if (x instanceof Boolean a && y instanceof Boolean b) {
            return Boolean.compare(a, b);
        }
        return ((Comparable) x).compareTo(y);
    }

    /** Code point order, which is UTF-8 byte order (COLLATE "C"), unlike String.compareTo's UTF-16 order. */
    private static int codePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * Drops the events no later watermark than {@code w} can count, keeping the best of them where a latest value
     * reaches back without limit; answers whether anything changed.
     */
    public boolean prune(EntityState state, long w) {
        if (!unbounded && horizon == 0) {
            return false;
        }
        long keepFrom = w - horizon;
        boolean changed = false;
        while (!state.events.isEmpty() && state.events.get(0).time() < keepFrom) {
            EntityState.Event dropped = state.events.remove(0);
            if (unbounded) {
                int[] tiebreak = latestTiebreak();
                if (state.bestDropped == null || compare(dropped, state.bestDropped, tiebreak) > 0) {
                    state.bestDropped = dropped;
                }
            }
            changed = true;
        }
        return changed;
    }

    private int[] latestTiebreak() {
        for (int m = 0; m < measures.size(); m++) {
            if (measures.get(m) instanceof Measure.Latest && measures.get(m).window().lower() == null) {
                return tiebreaks[m];
            }
        }
        return new int[0];
    }

    /**
     * The earliest watermark after {@code w} at which some value of the entity can change with no new event: an event
     * leaving a window or the ttl, or a future event becoming visible; Long.MAX_VALUE for never.
     */
    public long nextChange(EntityState state, long w) {
        long next = Long.MAX_VALUE;
        for (EntityState.Event event : state.events) {
            if (event.time() > w) {
                next = Math.min(next, event.time());
                continue;
            }
            for (Measure measure : measures) {
                RelativeWindow.Bound lower = measure.window().lower();
                if (lower != null) {
                    long leaves = event.time() - lower.offsetSeconds() * MICROS + (lower.inclusive() ? 1 : 0);
                    if (leaves > w) {
                        next = Math.min(next, leaves);
                    }
                }
            }
        }
        return next;
    }

    public List<Measure> measures() {
        return measures;
    }

    public SourceScan scan() {
        return scan;
    }
}
