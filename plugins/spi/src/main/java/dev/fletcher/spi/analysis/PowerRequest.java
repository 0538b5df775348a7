package dev.fletcher.spi.analysis;

/**
 * A sample-size question: either a rate ({@code baselineRate}) or a mean and standard deviation.
 *
 * @param mdeRelative       the smallest relative lift worth detecting, e.g. 0.10
 * @param varianceReduction the share of variance CUPED removed in a past run (0 when null)
 */
public record PowerRequest(Double baselineRate, Double baselineMean, Double baselineSd, double mdeRelative,
        double alpha, double power, Double varianceReduction) {
}
