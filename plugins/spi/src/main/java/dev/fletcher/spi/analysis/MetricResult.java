package dev.fletcher.spi.analysis;

import java.util.List;
import java.util.Map;

/**
 * One metric, one treatment variant against control.
 *
 * @param means      each of the two variants' mean (ratio metrics: the ratio of means)
 * @param unadjusted null when it cannot be computed; {@code messages} says why
 * @param cuped      null when off or when it cannot be computed ({@code messages} says why)
 */
public record MetricResult(String metric, String variant, Map<String, Double> means, Estimate unadjusted,
        CupedEstimate cuped, List<String> messages) {
    public MetricResult {
        means = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(means));
        messages = List.copyOf(messages);
    }
}
