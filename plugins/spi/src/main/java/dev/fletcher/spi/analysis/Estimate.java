package dev.fletcher.spi.analysis;

/**
 * A treatment effect and its uncertainty.
 *
 * @param relative the effect relative to the control mean, or null when it has none (control mean 0)
 */
public record Estimate(double estimate, double stdError, double ciLow, double ciHigh, double pValue,
        Interval relative) {
    /** An estimate with a confidence interval. */
    public record Interval(double estimate, double ciLow, double ciHigh) {
    }
}
