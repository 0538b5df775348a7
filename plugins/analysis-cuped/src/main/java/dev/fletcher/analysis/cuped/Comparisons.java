package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.analysis.AnalysisException;
import dev.fletcher.spi.analysis.Estimate;
import dev.fletcher.spi.analysis.PowerRequest;

/** Closed-form comparisons of two groups from their moments, and sample sizes. */
final class Comparisons {
    static final double LEVEL = 0.95;

    private Comparisons() {}

    /** One group's moments of one metric (sample variances with n - 1). */
    record Moments(long n, double mean, double variance) {
    }

    /**
     * Welch's difference of means, t with Welch–Satterthwaite degrees of freedom; the relative lift by the delta
     * method, its interval with the same t quantile as the absolute one.
     */
    static Estimate welch(Moments control, Moments treatment) {
        double a = treatment.variance() / treatment.n();
        double b = control.variance() / control.n();
        double se = Math.sqrt(a + b);
        double diff = treatment.mean() - control.mean();
        double df = (a + b) * (a + b) / (a * a / (treatment.n() - 1) + b * b / (control.n() - 1));
        double q = Distributions.tQuantile(1 - (1 - LEVEL) / 2, df);
        Estimate.Interval relative = null;
        if (control.mean() != 0) {
            double mc = control.mean();
            double rel = diff / mc;
            double relSe = Math.sqrt(a / (mc * mc) + treatment.mean() * treatment.mean() * b / (mc * mc * mc * mc));
            relative = interval(rel, relSe, q);
        }
        return new Estimate(diff, se, diff - q * se, diff + q * se, Distributions.tTwoSided(diff / se, df), relative);
    }

    /** A normal-theory estimate with its relative counterpart given separately. */
    static Estimate normal(double estimate, double se, Estimate.Interval relative) {
        double z = normalQuantile();
        return new Estimate(estimate, se, estimate - z * se, estimate + z * se,
                Distributions.tTwoSided(estimate / se, Double.POSITIVE_INFINITY), relative);
    }

    /** The two-sided normal quantile at {@link #LEVEL}: where the degrees of freedom are unbounded. */
    static double normalQuantile() {
        return Distributions.normalQuantile(1 - (1 - LEVEL) / 2);
    }

    /** An interval of {@code quantile} standard errors either side, the quantile the absolute interval uses. */
    static Estimate.Interval interval(double estimate, double se, double quantile) {
        return new Estimate.Interval(estimate, estimate - quantile * se, estimate + quantile * se, se);
    }

    /** The classic sample size per variant (CONTRACT §4), scaled by 1 - variance reduction. */
    static long sampleSize(PowerRequest r) {
        check(r.alpha() > 0 && r.alpha() < 1, "alpha must be between 0 and 1 (exclusive), got " + r.alpha());
        check(r.power() > 0 && r.power() < 1, "power must be between 0 and 1 (exclusive), got " + r.power());
        check(r.mdeRelative() != 0 && Double.isFinite(r.mdeRelative()),
                "mde_relative must be a non-zero number, e.g. 0.10 for a 10% lift");
        double reduction = r.varianceReduction() == null ? 0 : r.varianceReduction();
        check(reduction >= 0 && reduction < 1, "variance_reduction must be at least 0 and below 1, got " + reduction);
        double zAlpha = Distributions.normalQuantile(1 - r.alpha() / 2);
        double zPower = Distributions.normalQuantile(r.power());
        double n;
        if (r.baselineRate() != null) {
            check(r.baselineMean() == null && r.baselineSd() == null,
                    "give either baseline_rate or baseline_mean with baseline_sd, not both");
            double p1 = r.baselineRate();
            double p2 = p1 * (1 + r.mdeRelative());
            check(p1 > 0 && p1 < 1, "baseline_rate must be between 0 and 1 (exclusive), got " + p1);
            check(p2 > 0 && p2 < 1, "baseline_rate × (1 + mde_relative) = " + p2 + " is not a rate between 0 and 1");
            double root = zAlpha * Math.sqrt(2 * p1 * (1 - p1)) + zPower * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
            n = root * root / ((p2 - p1) * (p2 - p1));
        } else {
            check(r.baselineMean() != null && r.baselineSd() != null,
                    "give baseline_rate, or baseline_mean with baseline_sd");
            check(r.baselineSd() > 0 && Double.isFinite(r.baselineSd()), "baseline_sd must be above 0");
            check(r.baselineMean() != 0 && Double.isFinite(r.baselineMean()),
                    "baseline_mean must be a non-zero number (the lift is relative to it)");
            double delta = r.baselineMean() * r.mdeRelative();
            double z = zAlpha + zPower;
            n = 2 * r.baselineSd() * r.baselineSd() * z * z / (delta * delta);
        }
        return (long) Math.ceil(n * (1 - reduction) - 1e-9);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AnalysisException(message);
        }
    }
}
