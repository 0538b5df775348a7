package dev.fletcher.catalog.model;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A randomized comparison of variants: subjects of {@code entity} assigned by a source, outcomes measured
 * over [a, a + window) from each subject's first assignment a.
 *
 * @param control the control variant's value in the assignments' variant column
 * @param cuped   the default CUPED covariate window, or null when CUPED is off ({@code cuped: false})
 * @param split   the planned share of each variant (weights, any scale); empty means equal shares
 * @param guardrailMetrics metrics analysed beside {@code metrics} to catch harm; left out of the
 *                         multiple-testing correction
 * @param analysis how results are read: sequential or fixed horizon, the correction, the Bayesian read-out
 * @param quantileMetrics quantiles of per-subject metric values compared across variants (e.g. the P90)
 */
public record Experiment(
        String name,
        String entity,
        Assignments assignments,
        String control,
        Window window,
        List<String> metrics,
        Cuped cuped,
        Map<String, Double> split,
        List<String> guardrailMetrics,
        Analysis analysis,
        List<QuantileMetric> quantileMetrics,
        String description,
        Map<String, String> tags) implements CatalogObject {

    public static final String DEFAULT_CONTROL = "control";
    public static final Window DEFAULT_CUPED_LOOKBACK = Window.parse("14d");

    public Experiment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(assignments, "assignments");
        Objects.requireNonNull(window, "window");
        if (control == null || control.isBlank()) {
            throw new IllegalArgumentException("an experiment needs a control variant");
        }
        metrics = List.copyOf(metrics);
        split = split == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(split));
        guardrailMetrics = guardrailMetrics == null ? List.of() : List.copyOf(guardrailMetrics);
        analysis = analysis == null ? Analysis.DEFAULT : analysis;
        quantileMetrics = quantileMetrics == null ? List.of() : List.copyOf(quantileMetrics);
        tags = Tags.copy(tags);
    }

    /** An experiment without quantile metrics. */
    public Experiment(String name, String entity, Assignments assignments, String control, Window window,
            List<String> metrics, Cuped cuped, Map<String, Double> split, List<String> guardrailMetrics,
            Analysis analysis, String description, Map<String, String> tags) {
        this(name, entity, assignments, control, window, metrics, cuped, split, guardrailMetrics, analysis, List.of(),
                description, tags);
    }

    /** An experiment without guardrail metrics, read at a fixed horizon without correction. */
    public Experiment(String name, String entity, Assignments assignments, String control, Window window,
            List<String> metrics, Cuped cuped, Map<String, Double> split, String description, Map<String, String> tags) {
        this(name, entity, assignments, control, window, metrics, cuped, split, List.of(), Analysis.DEFAULT,
                List.of(), description, tags);
    }

    /** The metrics to analyse: {@code metrics}, then the guardrail metrics. */
    public List<String> analysedMetrics() {
        List<String> all = new java.util.ArrayList<>(metrics);
        all.addAll(guardrailMetrics);
        return List.copyOf(all);
    }

    /**
     * A quantile of a metric's per-subject value, compared across variants: the difference of the variants' sample
     * quantiles, with an interval from order statistics.
     *
     * @param metric    a simple metric, computed per subject like the experiment's other metrics
     * @param quantile  the probability, strictly between 0 and 1 (0.5 for the median, 0.9 for the P90)
     * @param guardrail analysed to catch harm, and left out of the multiple-testing correction
     */
    public record QuantileMetric(String metric, double quantile, boolean guardrail) {
        public QuantileMetric {
            Objects.requireNonNull(metric, "metric");
            if (!(quantile > 0 && quantile < 1)) {
                throw new IllegalArgumentException("a quantile must be strictly between 0 and 1, got " + quantile);
            }
        }

        /** How results and messages name it, e.g. {@code latency_ms p90}. */
        public String label() {
            String percent = java.math.BigDecimal.valueOf(quantile).movePointRight(2).stripTrailingZeros().toPlainString();
            return metric + " p" + percent;
        }
    }

    /**
     * How an analysis reads its estimates.
     *
     * @param sequentialTuning N* of the always-valid confidence sequences, or null for fixed-horizon intervals
     * @param correction       the multiple-testing correction across metrics × variants (guardrails left out)
     * @param bayesian         the prior of the Bayesian read-out of the relative lift, or null when it is off
     */
    public record Analysis(Double sequentialTuning, Correction correction, Bayesian bayesian) {
        public static final double DEFAULT_TUNING = 5000;
        public static final Analysis DEFAULT = new Analysis(null, Correction.NONE, null);

        public Analysis {
            if (sequentialTuning != null && !(sequentialTuning >= 1 && Double.isFinite(sequentialTuning))) {
                throw new IllegalArgumentException("the sequential tuning N* must be a number of subjects of at least 1,"
                        + " got "
                        + sequentialTuning);
            }
            correction = correction == null ? Correction.NONE : correction;
        }

        public boolean sequential() {
            return sequentialTuning != null;
        }

        public boolean isDefault() {
            return equals(DEFAULT);
        }
    }

    /** How p-values are adjusted for the number of comparisons. */
    public enum Correction {
        NONE("none"),
        /** Holm–Bonferroni: controls the family-wise error rate. */
        HOLM("holm"),
        /** Benjamini–Hochberg: controls the false discovery rate. */
        BH("bh");

        private final String id;

        Correction(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static java.util.Optional<Correction> fromId(String id) {
            return java.util.Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /**
     * The Bayesian read-out's prior on the relative lift: normal with {@code priorMean} and {@code priorSd}, or flat
     * (both null), when the posterior is the likelihood alone.
     */
    public record Bayesian(Double priorMean, Double priorSd) {
        public static final Bayesian DEFAULT = new Bayesian(0.0, 0.3);
        public static final Bayesian FLAT = new Bayesian(null, null);

        public Bayesian {
            if ((priorMean == null) != (priorSd == null)) {
                throw new IllegalArgumentException("a prior needs both its mean and its standard deviation");
            }
            if (priorSd != null && !(priorSd > 0 && Double.isFinite(priorSd))) {
                throw new IllegalArgumentException("the prior's standard deviation must be a positive number, got "
                        + priorSd);
            }
            if (priorMean != null && !Double.isFinite(priorMean)) {
                throw new IllegalArgumentException("the prior's mean must be a finite number");
            }
        }

        public boolean proper() {
            return priorSd != null;
        }
    }

    /**
     * Where assignments come from; the time of an assignment is the source's timestamp.
     *
     * @param variant the column holding each row's variant
     */
    public record Assignments(String source, String variant) {
        public Assignments {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(variant, "variant");
        }
    }

    /** CUPED's default covariate: each metric's own value over [a - lookback, a). */
    public record Cuped(Window lookback) {
        public Cuped {
            Objects.requireNonNull(lookback, "lookback");
        }
    }

    @Override
    public Kind kind() {
        return Kind.EXPERIMENT;
    }

    public boolean cupedEnabled() {
        return cuped != null;
    }

    @Override
    public Set<ObjectKey> references() {
        Set<ObjectKey> keys = new HashSet<>();
        keys.add(new ObjectKey(Kind.ENTITY, entity));
        keys.add(new ObjectKey(Kind.SOURCE, assignments.source()));
        metrics.forEach(m -> keys.add(new ObjectKey(Kind.METRIC, m)));
        guardrailMetrics.forEach(m -> keys.add(new ObjectKey(Kind.METRIC, m)));
        quantileMetrics.forEach(q -> keys.add(new ObjectKey(Kind.METRIC, q.metric())));
        return Set.copyOf(keys);
    }
}
