package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.analysis.Estimate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A ratio metric (mean numerator over mean denominator per variant) compared between two variants by the delta
 * method: linearised around the means, a variant's ratio has variance
 * (Var N / μD² − 2 μN Cov(N, D) / μD³ + μN² Var D / μD⁴) / n.
 */
final class RatioDelta {
    private RatioDelta() {}

    /** One variant's moments of the per-subject numerator and denominator, and their sample covariance (n - 1). */
    record Group(String variant, Comparisons.Moments numerator, Comparisons.Moments denominator, double covariance) {
    }

    /**
     * @param means    each variant's ratio, control first, as far as they could be computed
     * @param estimate treatment minus control, or null
     * @param note     why there is no estimate, or null when the caller already knows (a variant with fewer than
     *                 two subjects)
     */
    record Comparison(Map<String, Double> means, Estimate estimate, String note) {
    }

    static Comparison compare(String metric, Group control, Group treatment) {
        Map<String, Double> means = new LinkedHashMap<>();
        double[] r = new double[2];
        double[] v = new double[2];
        Group[] groups = {control, treatment};
        for (int g = 0; g < 2; g++) {
            Comparisons.Moments mn = groups[g].numerator();
            Comparisons.Moments md = groups[g].denominator();
            long n = mn.n();
            if (n == 0) {
                return new Comparison(means, null, null);
            }
            if (md.mean() == 0) {
                return new Comparison(means, null, "the denominator of '" + metric + "' is 0 in variant '"
                        + groups[g].variant() + "'");
            }
            r[g] = mn.mean() / md.mean();
            means.put(groups[g].variant(), r[g]);
            if (n < 2) {
                return new Comparison(means, null, null);
            }
            double mu = md.mean();
            v[g] = (mn.variance() / (mu * mu) - 2 * mn.mean() * groups[g].covariance() / (mu * mu * mu)
                    + mn.mean() * mn.mean() * md.variance() / (mu * mu * mu * mu)) / n;
        }
        double se = Math.sqrt(Math.max(0, v[0] + v[1]));
        if (se == 0) {
            return new Comparison(means, null, "metric '" + metric + "' has no variance in either variant: there is"
                    + " nothing to test");
        }
        Estimate.Interval relative = r[0] == 0 ? null : Comparisons.interval(r[1] / r[0] - 1,
                Math.sqrt(v[1] / (r[0] * r[0]) + r[1] * r[1] * v[0] / Math.pow(r[0], 4)), Comparisons.normalQuantile());
        return new Comparison(means, Comparisons.normal(r[1] - r[0], se, relative), null);
    }
}
