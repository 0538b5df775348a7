package dev.fletcher.spi.analysis;

/**
 * A treatment effect and its uncertainty. {@code ciLow}, {@code ciHigh} and {@code pValue} are fixed-horizon
 * figures, valid when the result is read once at the planned end.
 *
 * @param relative   the effect relative to the control mean, or null when it has none (control mean 0)
 * @param sequential the always-valid interval and p-value, or null when the analysis is not sequential
 */
public record Estimate(double estimate, double stdError, double ciLow, double ciHigh, double pValue,
        Interval relative, Sequential sequential) {

    /** A fixed-horizon estimate. */
    public Estimate(double estimate, double stdError, double ciLow, double ciHigh, double pValue, Interval relative) {
        this(estimate, stdError, ciLow, ciHigh, pValue, relative, null);
    }

    public Estimate withSequential(Sequential sequential) {
        return new Estimate(estimate, stdError, ciLow, ciHigh, pValue, relative, sequential);
    }

    /**
     * An estimate with a confidence interval.
     *
     * @param stdError its standard error, NaN when not known
     */
    public record Interval(double estimate, double ciLow, double ciHigh, double stdError) {
        public Interval(double estimate, double ciLow, double ciHigh) {
            this(estimate, ciLow, ciHigh, Double.NaN);
        }
    }

    /**
     * An always-valid confidence sequence and p-value (asymptotic, Waudby-Smith et al. 2023): they hold however
     * often the result is looked at.
     *
     * @param tuning   N*, the number of subjects the sequence is tuned for (narrowest there)
     * @param relative the relative effect's sequential interval, or null when there is no relative effect
     */
    public record Sequential(double tuning, double ciLow, double ciHigh, double pValue, Interval relative) {
    }
}
