package dev.fletcher.catalog.model;

import java.util.Objects;

/** One feature of a feature view: a latest value, a windowed aggregation, or an expression over the others. */
public sealed interface Feature permits Feature.LatestValue, Feature.Aggregated, Feature.Derived {
    String name();

    /** The declared value type, or null when none was declared. */
    FeatureType type();

    String description();

    /**
     * The newest value of a column among the rows visible at the anchor time, no older than the view's ttl.
     *
     * @param column the source column (the feature's name unless given)
     */
    record LatestValue(String name, String column, FeatureType type, String description) implements Feature {
        public LatestValue {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(column, "column");
        }
    }

    /**
     * An aggregation over the rows with anchor - window < event time <= anchor.
     *
     * @param column     the aggregated column; null only for {@code count}, which then counts rows
     * @param filter     optional SQL predicate on source rows, written by the catalog author
     * @param percentile for {@code approx_percentile} only: a fraction strictly between 0 and 1
     */
    record Aggregated(
            String name,
            Aggregation aggregation,
            String column,
            Window window,
            String filter,
            Double percentile,
            FeatureType type,
            String description) implements Feature {
        public Aggregated {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(aggregation, "aggregation");
            Objects.requireNonNull(window, "window");
            if (column == null && aggregation.needsColumn()) {
                throw new IllegalArgumentException(aggregation + " needs a column");
            }
            if ((percentile != null) != (aggregation == Aggregation.APPROX_PERCENTILE)) {
                throw new IllegalArgumentException("percentile goes with approx_percentile, and only with it");
            }
        }
    }

    /**
     * A SQL expression over the view's other features, computed after aggregation.
     *
     * @param expr SQL written by the catalog author; bare identifiers name features of the same view
     */
    record Derived(String name, String expr, FeatureType type, String description) implements Feature {
        public Derived {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(expr, "expr");
        }
    }
}
