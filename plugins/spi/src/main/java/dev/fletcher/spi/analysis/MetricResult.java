package dev.fletcher.spi.analysis;

import java.util.List;
import java.util.Map;

/**
 * One metric, one treatment variant against control.
 *
 * @param means      each of the two variants' mean (ratio metrics: the ratio of means)
 * @param unadjusted null when it cannot be computed; {@code messages} says why
 * @param cuped      null when off or when it cannot be computed ({@code messages} says why)
 * @param guardrail  a guardrail metric: analysed alike, left out of the multiple-testing correction
 * @param decision   the figures the verdict rests on; null when there is no estimate
 * @param bayesian   the Bayesian read-out, null when off or when there is no relative lift
 * @param quantile   for a quantile metric, the variants' quantiles ({@code means} then holds them too, and
 *                   {@code unadjusted} their difference); null for a mean or ratio metric
 */
public record MetricResult(String metric, String variant, Map<String, Double> means, Estimate unadjusted,
        CupedEstimate cuped, List<String> messages, boolean guardrail, Decision decision, BayesianReadout bayesian,
        QuantileEstimate quantile) {
    public MetricResult {
        means = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(means));
        messages = List.copyOf(messages);
    }

    /** A mean or ratio metric's result. */
    public MetricResult(String metric, String variant, Map<String, Double> means, Estimate unadjusted,
            CupedEstimate cuped, List<String> messages, boolean guardrail, Decision decision, BayesianReadout bayesian) {
        this(metric, variant, means, unadjusted, cuped, messages, guardrail, decision, bayesian, null);
    }

    /** The estimates alone, before they are read. */
    public MetricResult(String metric, String variant, Map<String, Double> means, Estimate unadjusted,
            CupedEstimate cuped, List<String> messages) {
        this(metric, variant, means, unadjusted, cuped, messages, false, null, null);
    }
}
