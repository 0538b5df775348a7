package dev.fletcher.catalog.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** A number computed per time bucket and group: one record per metric {@code type}. */
public sealed interface Metric extends CatalogObject
        permits Metric.Simple, Metric.Ratio, Metric.Derived, Metric.Cumulative, Metric.Conversion {

    MetricType type();

    /** The names of the metrics this one is computed from, in the order the definition gives them. */
    List<String> inputMetrics();

    @Override
    default Kind kind() {
        return Kind.METRIC;
    }

    @Override
    default Set<ObjectKey> references() {
        Set<ObjectKey> keys = new LinkedHashSet<>();
        inputMetrics().forEach(m -> keys.add(new ObjectKey(Kind.METRIC, m)));
        return Set.copyOf(keys);
    }

    /**
     * What a simple metric aggregates.
     *
     * @param agg  one of {@link Aggregation#MEASURE}
     * @param expr SQL over the source's columns; null only for {@code count}, which then counts rows
     */
    record Measure(Aggregation agg, String expr) {
        public Measure {
            Objects.requireNonNull(agg, "agg");
            if (expr == null && agg.needsColumn()) {
                throw new IllegalArgumentException(agg + " needs an expr");
            }
        }
    }

    /**
     * An aggregation of a source's rows.
     *
     * @param entity     optional: per-subject values (experiments) are per this entity
     * @param filter     optional SQL predicate on source rows
     * @param dimensions source columns a query may group and filter by
     */
    record Simple(
            String name,
            String source,
            String entity,
            Measure measure,
            String filter,
            List<String> dimensions,
            String description,
            Map<String, String> tags) implements Metric {
        public Simple {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(measure, "measure");
            dimensions = List.copyOf(dimensions);
            tags = Tags.copy(tags);
        }

        @Override
        public MetricType type() {
            return MetricType.SIMPLE;
        }

        @Override
        public List<String> inputMetrics() {
            return List.of();
        }

        @Override
        public Set<ObjectKey> references() {
            Set<ObjectKey> keys = new LinkedHashSet<>();
            keys.add(new ObjectKey(Kind.SOURCE, source));
            if (entity != null) {
                keys.add(new ObjectKey(Kind.ENTITY, entity));
            }
            return Set.copyOf(keys);
        }
    }

    /** numerator / denominator per group; null when the denominator is 0. */
    record Ratio(String name, String numerator, String denominator, String description, Map<String, String> tags)
            implements Metric {
        public Ratio {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(numerator, "numerator");
            Objects.requireNonNull(denominator, "denominator");
            tags = Tags.copy(tags);
        }

        @Override
        public MetricType type() {
            return MetricType.RATIO;
        }

        @Override
        public List<String> inputMetrics() {
            return List.of(numerator, denominator);
        }
    }

    /**
     * One metric an expression reads, optionally shifted in time.
     *
     * @param metric the metric's name
     * @param offset optional: the value of the bucket starting this much earlier
     * @param alias  optional: the name {@code expr} uses for it; the metric's name when null
     */
    record Input(String metric, Window offset, String alias) {
        public Input {
            Objects.requireNonNull(metric, "metric");
        }

        public Input(String metric) {
            this(metric, null, null);
        }

        /** How the expression refers to this input. */
        public String reference() {
            return alias != null ? alias : metric;
        }
    }

    /** A SQL expression over other metrics' values per group. */
    record Derived(String name, String expr, List<Input> metrics, String description, Map<String, String> tags)
            implements Metric {
        public Derived {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(expr, "expr");
            metrics = List.copyOf(metrics);
            tags = Tags.copy(tags);
        }

        @Override
        public MetricType type() {
            return MetricType.DERIVED;
        }

        @Override
        public List<String> inputMetrics() {
            return metrics.stream().map(Input::metric).distinct().toList();
        }
    }

    /**
     * A metric accumulated over a trailing window, or from the start of a grain (month to date), or, with
     * neither, over all time up to each bucket's end.
     */
    record Cumulative(
            String name,
            String metric,
            Window window,
            Grain grainToDate,
            String description,
            Map<String, String> tags) implements Metric {
        public Cumulative {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(metric, "metric");
            if (window != null && grainToDate != null) {
                throw new IllegalArgumentException("a cumulative metric has a window or grain_to_date, not both");
            }
            tags = Tags.copy(tags);
        }

        @Override
        public MetricType type() {
            return MetricType.CUMULATIVE;
        }

        @Override
        public List<String> inputMetrics() {
            return List.of(metric);
        }
    }

    /**
     * The share of base events of an entity followed by a conversion event of the same entity within the window.
     *
     * @param base       the metric whose rows are the base events
     * @param conversion the metric whose rows are the conversion events
     */
    record Conversion(
            String name,
            String entity,
            String base,
            String conversion,
            Window window,
            String description,
            Map<String, String> tags) implements Metric {
        public Conversion {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(entity, "entity");
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(conversion, "conversion");
            Objects.requireNonNull(window, "window");
            tags = Tags.copy(tags);
        }

        @Override
        public MetricType type() {
            return MetricType.CONVERSION;
        }

        @Override
        public List<String> inputMetrics() {
            return List.of(base, conversion);
        }

        @Override
        public Set<ObjectKey> references() {
            Set<ObjectKey> keys = new LinkedHashSet<>(Metric.super.references());
            keys.add(new ObjectKey(Kind.ENTITY, entity));
            return Set.copyOf(keys);
        }
    }
}
