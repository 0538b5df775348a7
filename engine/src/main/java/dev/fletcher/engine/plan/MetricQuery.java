package dev.fletcher.engine.plan;

import java.time.Instant;
import java.util.List;

/**
 * A metrics query (CONTRACT §7): metrics grouped by {@code metric_time__<grain>} and dimensions, filtered by
 * {@code where} items, over event times in [start, end).
 *
 * @param start    the earliest event time counted, or null for no limit
 * @param end      event times before it count, or null for no limit
 * @param orderBy  output columns, a leading {@code -} sorting descending; the group keys when empty
 * @param limit    the most rows answered, or null for all
 * @param trailing event times in (start, end] instead of [start, end): a monitor's trailing window
 */
public record MetricQuery(List<String> metrics, List<String> groupBy, List<MetricFilter> where, Instant start,
        Instant end, boolean fill, List<String> orderBy, Long limit, boolean trailing) {
    public MetricQuery {
        metrics = List.copyOf(metrics);
        groupBy = List.copyOf(groupBy);
        where = List.copyOf(where);
        orderBy = List.copyOf(orderBy);
    }

    /** One metric over (start, end], no groups: what a threshold monitor evaluates. */
    public static MetricQuery trailing(String metric, Instant start, Instant end) {
        return new MetricQuery(List.of(metric), List.of(), List.of(), start, end, false, List.of(), null, true);
    }
}
