package dev.fletcher.spi.analysis;

import dev.fletcher.catalog.model.Experiment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment's analysis (CONTRACT §6).
 *
 * @param subjects    subjects per variant, control first
 * @param excluded    subjects left out, by reason (e.g. {@code multiple_variants})
 * @param srmPValue   the χ² test of the subject counts against the planned split, or null with fewer than two variants
 * @param warnings    what a reader must know before trusting the result (e.g. sample ratio mismatch)
 * @param analysis    how the estimates were read (sequential, correction, Bayesian prior)
 * @param alpha       the significance level of the decisions (1 - the intervals' level)
 * @param breakdown   the same analysis per day or per slice, when asked for; null otherwise
 */
public record ExperimentResult(String experiment, Map<String, Long> subjects, Map<String, Long> excluded,
        Double srmPValue, List<MetricResult> results, List<String> warnings, Experiment.Analysis analysis,
        double alpha, Breakdown breakdown) {
    public static final double DEFAULT_ALPHA = 0.05;

    /**
     * The analysis broken down by one more key.
     *
     * @param by     {@link AnalysisOptions#BY_DAY}, or the slice's name
     * @param groups one per day (in order) or per slice value (largest first)
     */
    public record Breakdown(String by, List<Group> groups) {
        public Breakdown {
            groups = List.copyOf(groups);
        }

        public boolean byDay() {
            return AnalysisOptions.BY_DAY.equals(by);
        }
    }

    /**
     * One day (the cumulative result at its end) or one slice.
     *
     * @param key the day as {@code YYYY-MM-DD}, or the slice's value (null for subjects without one)
     */
    public record Group(String key, Map<String, Long> subjects, Double srmPValue, List<MetricResult> results,
            List<String> warnings) {
        public Group {
            subjects = Collections.unmodifiableMap(new LinkedHashMap<>(subjects));
            results = List.copyOf(results);
            warnings = List.copyOf(warnings);
        }
    }

    public ExperimentResult {
        subjects = Collections.unmodifiableMap(new LinkedHashMap<>(subjects));
        excluded = Collections.unmodifiableMap(new LinkedHashMap<>(excluded));
        results = List.copyOf(results);
        warnings = List.copyOf(warnings);
        analysis = analysis == null ? Experiment.Analysis.DEFAULT : analysis;
    }

    public ExperimentResult(String experiment, Map<String, Long> subjects, Map<String, Long> excluded,
            Double srmPValue, List<MetricResult> results, List<String> warnings, Experiment.Analysis analysis,
            double alpha) {
        this(experiment, subjects, excluded, srmPValue, results, warnings, analysis, alpha, null);
    }

    public ExperimentResult withBreakdown(Breakdown breakdown) {
        return new ExperimentResult(experiment, subjects, excluded, srmPValue, results, warnings, analysis, alpha,
                breakdown);
    }

    /** The estimates alone, read at a fixed horizon. */
    public ExperimentResult(String experiment, Map<String, Long> subjects, Map<String, Long> excluded,
            Double srmPValue, List<MetricResult> results, List<String> warnings) {
        this(experiment, subjects, excluded, srmPValue, results, warnings, Experiment.Analysis.DEFAULT, DEFAULT_ALPHA);
    }
}
