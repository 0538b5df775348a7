package dev.fletcher.catalog.model;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** A check evaluated on a schedule: a metric against a threshold, or a distribution against its past. */
public sealed interface Monitor extends CatalogObject permits Monitor.Threshold, Monitor.Drift {
    /** How often the monitor is evaluated when a definition does not say. */
    Window DEFAULT_EVERY = Window.parse("1h");

    Window every();

    @Override
    default Kind kind() {
        return Kind.MONITOR;
    }

    /**
     * When a value alerts: below {@code below} or above {@code above}; at least one is set, and when both are,
     * below is less than above (the value is expected between them).
     */
    record Alert(Double below, Double above) {
        public Alert {
            if (below == null && above == null) {
                throw new IllegalArgumentException("an alert needs below or above");
            }
            if (below != null && above != null && below >= above) {
                throw new IllegalArgumentException("below must be less than above");
            }
        }

        public boolean fires(double value) {
            return (below != null && value < below) || (above != null && value > above);
        }
    }

    /**
     * A metric evaluated at T over (T - window - maturity, T - maturity].
     *
     * @param maturity how long labels take to arrive; {@code 0s} unless given
     */
    record Threshold(
            String name,
            String metric,
            Window window,
            Window every,
            Window maturity,
            Alert alert,
            String description,
            Map<String, String> tags) implements Monitor {
        public static final Window NO_MATURITY = Window.parse("0s");

        public Threshold {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(every, "every");
            Objects.requireNonNull(maturity, "maturity");
            Objects.requireNonNull(alert, "alert");
            tags = Tags.copy(tags);
        }

        @Override
        public Set<ObjectKey> references() {
            return Set.of(new ObjectKey(Kind.METRIC, metric));
        }
    }

    /**
     * How a drift monitor compares the current window (T - window, T] with the baseline
     * (T - window - baseline, T - window].
     *
     * @param bins      number of quantile bins of the baseline, for {@code psi} only (null for {@code ks})
     * @param threshold the monitor alerts when the statistic is above it
     */
    record DriftTest(DriftMethod method, Window baseline, Window window, Integer bins, double threshold) {
        public static final int DEFAULT_BINS = 10;

        public DriftTest {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(baseline, "baseline");
            Objects.requireNonNull(window, "window");
            if ((bins != null) != (method == DriftMethod.PSI)) {
                throw new IllegalArgumentException("bins go with psi, and only with it");
            }
        }
    }

    /**
     * The distribution of a feature (its values at each of its source's event times) or of a source column.
     * Exactly one pair is set: {@code featureView} and {@code feature}, or {@code source} and {@code column}.
     */
    record Drift(
            String name,
            String featureView,
            String feature,
            String source,
            String column,
            DriftTest drift,
            Window every,
            String description,
            Map<String, String> tags) implements Monitor {
        public Drift {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(drift, "drift");
            Objects.requireNonNull(every, "every");
            boolean onFeature = featureView != null && feature != null && source == null && column == null;
            boolean onColumn = featureView == null && feature == null && source != null && column != null;
            if (!onFeature && !onColumn) {
                throw new IllegalArgumentException("a drift monitor watches feature_view + feature or source + column");
            }
            tags = Tags.copy(tags);
        }

        public boolean watchesFeature() {
            return featureView != null;
        }

        @Override
        public Set<ObjectKey> references() {
            Set<ObjectKey> keys = new LinkedHashSet<>();
            if (featureView != null) {
                keys.add(new ObjectKey(Kind.FEATURE_VIEW, featureView));
            }
            if (source != null) {
                keys.add(new ObjectKey(Kind.SOURCE, source));
            }
            return Set.copyOf(keys);
        }
    }
}
