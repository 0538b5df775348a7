package dev.fletcher.spi.analysis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Gaussian posterior of the relative lift (treatment / control - 1) and what it implies.
 *
 * @param estimate     {@code cuped} or {@code unadjusted}: whose relative lift and standard error it starts from
 * @param priorMean    the normal prior's mean, null for a flat prior
 * @param priorSd      the normal prior's standard deviation, null for a flat prior
 * @param chanceToWin  P(lift > 0) under the posterior
 * @param expectedLoss by variant: the expected relative loss of choosing it, E[max(0, other - it)] in lift units
 */
public record BayesianReadout(String estimate, Double priorMean, Double priorSd, double posteriorMean,
        double posteriorSd, double ciLow, double ciHigh, double chanceToWin, Map<String, Double> expectedLoss) {
    public BayesianReadout {
        expectedLoss = Collections.unmodifiableMap(new LinkedHashMap<>(expectedLoss));
    }
}
