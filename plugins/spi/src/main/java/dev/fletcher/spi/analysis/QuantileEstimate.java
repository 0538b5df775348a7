package dev.fletcher.spi.analysis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a quantile metric's result rests on: each variant's sample quantile with its order-statistic interval.
 *
 * @param probability the quantile's probability (0.9 for the P90)
 * @param variants    by variant: the sample quantile ({@code estimate}), the order statistics bounding its interval
 *                    ({@code ciLow}, {@code ciHigh}) and the standard error read from them
 */
public record QuantileEstimate(double probability, Map<String, Estimate.Interval> variants) {
    public QuantileEstimate {
        variants = Collections.unmodifiableMap(new LinkedHashMap<>(variants));
    }
}
