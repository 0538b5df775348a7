package dev.fletcher.engine.plan;

import dev.fletcher.catalog.model.Aggregation;
import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.catalog.model.Grain;
import dev.fletcher.catalog.model.Metric;
import dev.fletcher.catalog.model.Source;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A metrics query checked against the catalog: its time grain and dimensions, its filters, and for every requested
 * metric the tree of computations it needs, down to simple metrics over source rows.
 *
 * @param grain         the time grain grouped by, or null
 * @param dimensions    the group keys in request order (the time dimension among them)
 * @param outputs       one node per requested metric, in request order
 * @param warehouse     the warehouse instance every source read lives in
 * @param reachSeconds  how far before {@code start} inputs read because of derived offsets
 */
public record MetricPlan(MetricQuery query, Grain grain, List<Dimension> dimensions, List<Filter> filters,
        List<Node> outputs, String warehouse, long reachSeconds) {
    public MetricPlan {
        dimensions = List.copyOf(dimensions);
        filters = List.copyOf(filters);
        outputs = List.copyOf(outputs);
    }

    /** The non-time dimensions in request order. */
    public List<Dimension> groupDimensions() {
        return dimensions.stream().filter(d -> d.grain() == null).toList();
    }

    /** The point-in-time dimensions grouped or filtered by, each once. */
    public List<FeatureRef> features() {
        java.util.LinkedHashSet<FeatureRef> refs = new java.util.LinkedHashSet<>();
        dimensions.stream().filter(d -> d.feature() != null).forEach(d -> refs.add(d.feature()));
        filters.stream().filter(f -> f.dimension().feature() != null).forEach(f -> refs.add(f.dimension().feature()));
        return List.copyOf(refs);
    }

    /**
     * A group key or filter target: {@code metric_time__<grain>} (grain set), a point-in-time feature
     * {@code <view>__<feature>} (feature set), or a source column.
     */
    public record Dimension(String name, Grain grain, FeatureRef feature) {
        public Dimension {
            Objects.requireNonNull(name, "name");
        }

        public boolean isTime() {
            return grain != null;
        }
    }

    /** A where item with its dimension resolved; time values are Instants. */
    public record Filter(Dimension dimension, MetricFilter.Op op, List<Object> values) {
        public Filter {
            values = List.copyOf(values);
        }
    }

    /** One metric's computation. */
    public sealed interface Node permits Simple, Ratio, Derived, Cumulative, Conversion {
        Metric metric();

        default String name() {
            return metric().name();
        }

        /** Whether a group without rows counts 0 (fill, and the parts of ratios) rather than null. */
        boolean zeroWhenEmpty();
    }

    /** An aggregation of a source's rows per group. */
    public record Simple(Metric.Simple metric, Source source) implements Node {
        public Aggregation aggregation() {
            return metric.measure().agg();
        }

        @Override
        public boolean zeroWhenEmpty() {
            return aggregation().isZeroWhenEmpty();
        }
    }

    public record Ratio(Metric.Ratio metric, Simple numerator, Simple denominator) implements Node {
        @Override
        public boolean zeroWhenEmpty() {
            return false;
        }
    }

    /**
     * An input of a derived metric.
     *
     * @param reference     how the expression names it
     * @param offsetSeconds its value is that of the bucket starting this much earlier (0: the same bucket)
     */
    public record Input(String reference, Node node, long offsetSeconds) {
    }

    public record Derived(Metric.Derived metric, List<Input> inputs) implements Node {
        public Derived {
            inputs = List.copyOf(inputs);
        }

        @Override
        public boolean zeroWhenEmpty() {
            return false;
        }
    }

    /** A simple or ratio metric over a trailing window, or from the start of a coarser grain, at each bucket's end. */
    public record Cumulative(Metric.Cumulative metric, Node input) implements Node {
        @Override
        public boolean zeroWhenEmpty() {
            return input.zeroWhenEmpty();
        }
    }

    /** Base events of an entity followed within the window by a conversion event of the same entity. */
    public record Conversion(Metric.Conversion metric, Entity entity, Simple base, Simple conversion) implements Node {
        @Override
        public boolean zeroWhenEmpty() {
            return false;
        }
    }

    /** Where the event-time range starts for inputs that reach back {@code reachSeconds}; null without a start. */
    public Instant readStart() {
        return query.start() == null ? null : query.start().minusSeconds(reachSeconds);
    }
}
