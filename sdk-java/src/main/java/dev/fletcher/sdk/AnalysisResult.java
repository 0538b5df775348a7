package dev.fletcher.sdk;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment's analysis ({@code POST /api/v1/experiments/{name}/analysis}, CONTRACT §6).
 *
 * @param subjects  subjects per variant, control first
 * @param excluded  subjects left out, by reason (e.g. {@code multiple_variants})
 * @param srmPValue the χ² test of the subject counts against the planned split; null with fewer than two variants
 * @param results   one per metric and treatment variant, each against control
 * @param warnings  what to know before trusting the result, e.g. a sample ratio mismatch
 * @param analysis  how the results were read: interval, correction, Bayesian prior
 * @param byDay     with {@code ?by=day}: the cumulative result at the end of each day; empty otherwise
 * @param slice     with {@code ?slice=}: the dimension the slices are values of; null otherwise
 * @param slices    with {@code ?slice=}: the result per value; empty otherwise
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AnalysisResult(
        @JsonProperty("experiment") String experiment,
        @JsonProperty("subjects") Map<String, Long> subjects,
        @JsonProperty("excluded") Map<String, Long> excluded,
        @JsonProperty("srm_p_value") Double srmPValue,
        @JsonProperty("results") List<MetricResult> results,
        @JsonProperty("warnings") List<String> warnings,
        @JsonProperty("analysis") Settings analysis,
        @JsonProperty("by_day") List<Group> byDay,
        @JsonProperty("slice") String slice,
        @JsonProperty("slices") List<Group> slices) {

    public AnalysisResult {
        byDay = byDay == null ? List.of() : List.copyOf(byDay);
        slices = slices == null ? List.of() : List.copyOf(slices);
        subjects = ordered(subjects);
        excluded = ordered(excluded);
        results = results == null ? List.of() : List.copyOf(results);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** The result of one metric's mean for one treatment variant, or null when the analysis has none. */
    public MetricResult result(String metric, String variant) {
        return results.stream().filter(r -> r.quantile() == null && r.metric().equals(metric)
                && r.variant().equals(variant)).findFirst().orElse(null);
    }

    /** The result of one metric's quantile {@code probability} for one treatment variant, or null. */
    public MetricResult quantileResult(String metric, double probability, String variant) {
        return results.stream().filter(r -> r.quantile() != null && r.quantile().probability() == probability
                && r.metric().equals(metric) && r.variant().equals(variant)).findFirst().orElse(null);
    }

    /**
     * One day of a by-day analysis, or one slice.
     *
     * @param date      the day (UTC, {@code YYYY-MM-DD}) for a by-day group; null for a slice
     * @param value     the slice's value (null where the subjects have none); null for a day
     * @param subjects  subjects per variant in the group
     * @param srmPValue the group's own sample ratio test
     * @param results   the group's results, as the whole analysis's
     * @param warnings  the group's warnings, e.g. a slice too small to trust
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Group(
            @JsonProperty("date") String date,
            @JsonProperty("value") Object value,
            @JsonProperty("subjects") Map<String, Long> subjects,
            @JsonProperty("srm_p_value") Double srmPValue,
            @JsonProperty("results") List<MetricResult> results,
            @JsonProperty("warnings") List<String> warnings) {

        public Group {
            subjects = ordered(subjects);
            results = results == null ? List.of() : List.copyOf(results);
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }
    }

    /**
     * How an analysis read its estimates.
     *
     * @param alpha            the significance level
     * @param interval         {@code sequential} (always-valid intervals) or {@code fixed_horizon}
     * @param sequentialTuning N* of the confidence sequences; null at a fixed horizon
     * @param correction       {@code none}, {@code holm} or {@code benjamini_hochberg}
     * @param bayesian         the prior of the Bayesian read-out ({@code prior_mean}, {@code prior_sd}; both null for a
     *                         flat prior); null when the read-out is off
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Settings(
            @JsonProperty("alpha") double alpha,
            @JsonProperty("interval") String interval,
            @JsonProperty("sequential_tuning") Double sequentialTuning,
            @JsonProperty("correction") String correction,
            @JsonProperty("bayesian") Map<String, Double> bayesian) {
    }

    /**
     * One metric, one treatment variant against control.
     *
     * @param means      each of the two variants' mean (for a ratio metric, the ratio of the means)
     * @param unadjusted the difference of means with Welch's standard error; null when it cannot be computed
     * @param cuped      the CUPED-adjusted estimate; null when switched off or when it cannot be computed
     * @param messages   why a part is missing; empty when nothing is
     * @param guardrail  whether the metric is a guardrail, left out of the correction
     * @param decision   the estimate and interval the verdict uses, with the corrected p-value
     * @param bayesian   the Bayesian read-out of the relative lift; null when the experiment does not ask for it
     * @param quantile   for a quantile metric, its probability and each variant's quantile with its interval (then
     *                   {@code means} holds the quantiles and the estimates are their difference); null otherwise
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MetricResult(
            @JsonProperty("metric") String metric,
            @JsonProperty("variant") String variant,
            @JsonProperty("means") Map<String, Double> means,
            @JsonProperty("unadjusted") Estimate unadjusted,
            @JsonProperty("cuped") CupedEstimate cuped,
            @JsonProperty("messages") List<String> messages,
            @JsonProperty("guardrail") boolean guardrail,
            @JsonProperty("decision") Decision decision,
            @JsonProperty("bayesian") Bayesian bayesian,
            @JsonProperty("quantile") Quantile quantile) {

        public MetricResult {
            means = ordered(means);
            messages = messages == null ? List.of() : List.copyOf(messages);
        }
    }

    /**
     * A quantile metric's per-variant quantiles, each with its order-statistic interval.
     *
     * @param probability the quantile, e.g. 0.9 for P90
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Quantile(
            @JsonProperty("probability") double probability,
            @JsonProperty("variants") Map<String, QuantileValue> variants) {

        public Quantile {
            variants = ordered(variants);
        }
    }

    /** One variant's sample quantile, its interval and the standard error taken from the interval's width. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record QuantileValue(
            @JsonProperty("estimate") double estimate,
            @JsonProperty("ci_low") double ciLow,
            @JsonProperty("ci_high") double ciHigh,
            @JsonProperty("std_error") double stdError) {
    }

    /**
     * What a result's verdict rests on.
     *
     * @param estimate        {@code cuped} or {@code unadjusted}
     * @param interval        {@code sequential} or {@code fixed_horizon}
     * @param pValueAdjusted  the p-value after the experiment's correction; null without one, and for guardrails
     * @param significant     whether the (corrected) p-value is below alpha
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Decision(
            @JsonProperty("estimate") String estimate,
            @JsonProperty("interval") String interval,
            @JsonProperty("ci_low") double ciLow,
            @JsonProperty("ci_high") double ciHigh,
            @JsonProperty("p_value") double pValue,
            @JsonProperty("p_value_adjusted") Double pValueAdjusted,
            @JsonProperty("significant") boolean significant) {
    }

    /**
     * A Gaussian posterior of the relative lift.
     *
     * @param chanceToWin  the posterior probability that the lift is above 0
     * @param expectedLoss the expected relative loss of shipping each variant ({@code control}, {@code treatment})
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Bayesian(
            @JsonProperty("estimate") String estimate,
            @JsonProperty("prior_mean") Double priorMean,
            @JsonProperty("prior_sd") Double priorSd,
            @JsonProperty("lift_mean") double liftMean,
            @JsonProperty("lift_sd") double liftSd,
            @JsonProperty("ci_low") double ciLow,
            @JsonProperty("ci_high") double ciHigh,
            @JsonProperty("chance_to_win") double chanceToWin,
            @JsonProperty("expected_loss") Map<String, Double> expectedLoss) {
    }

    /**
     * A treatment effect: the CI and p-value from the t distribution with Welch–Satterthwaite degrees of freedom.
     *
     * @param relative   the effect relative to the control mean, or null when the control mean is 0
     * @param sequential the always-valid interval and p-value; null at a fixed horizon
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Estimate(
            @JsonProperty("estimate") double estimate,
            @JsonProperty("std_error") double stdError,
            @JsonProperty("ci_low") double ciLow,
            @JsonProperty("ci_high") double ciHigh,
            @JsonProperty("p_value") double pValue,
            @JsonProperty("relative") Interval relative,
            @JsonProperty("sequential") Sequential sequential) {
    }

    /**
     * An always-valid confidence sequence's interval and p-value at the current sample size.
     *
     * @param tuning N*, the sample size the sequence is tightest at
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Sequential(
            @JsonProperty("tuning") Double tuning,
            @JsonProperty("ci_low") double ciLow,
            @JsonProperty("ci_high") double ciHigh,
            @JsonProperty("p_value") Double pValue) {
    }

    /**
     * The treatment coefficient of the OLS fit y ~ 1 + treatment + covariates.
     *
     * @param stdError          the classical OLS standard error; the CI and p-value use it (t with n - p degrees of
     *                          freedom)
     * @param stdErrorHc1       the heteroskedasticity-robust (HC1) standard error
     * @param varianceReduction 1 - (SE / SE of y ~ 1 + treatment)^2
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CupedEstimate(
            @JsonProperty("covariates") List<String> covariates,
            @JsonProperty("estimate") double estimate,
            @JsonProperty("std_error") double stdError,
            @JsonProperty("std_error_hc1") double stdErrorHc1,
            @JsonProperty("ci_low") double ciLow,
            @JsonProperty("ci_high") double ciHigh,
            @JsonProperty("p_value") double pValue,
            @JsonProperty("variance_reduction") double varianceReduction,
            @JsonProperty("relative") Interval relative,
            @JsonProperty("sequential") Sequential sequential) {

        public CupedEstimate {
            covariates = covariates == null ? List.of() : List.copyOf(covariates);
        }
    }

    /**
     * An estimate with its confidence interval (for a relative effect, by the delta method).
     *
     * @param stdError   its standard error; null where the server gives none
     * @param sequential the always-valid interval (its p-value is the absolute effect's); null at a fixed horizon
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Interval(
            @JsonProperty("estimate") double estimate,
            @JsonProperty("ci_low") double ciLow,
            @JsonProperty("ci_high") double ciHigh,
            @JsonProperty("std_error") Double stdError,
            @JsonProperty("sequential") Sequential sequential) {
    }

    // The server lists control first; Map.copyOf would lose that order.
    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
