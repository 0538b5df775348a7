package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.analysis.Estimate;
import java.util.ArrayList;
import java.util.List;

/**
 * The difference of two variants' sample quantiles, from order statistics alone. Per variant of n subjects the
 * sample quantile is x(⌈np⌉), and the ranks np ± z·√(np(1−p)) (the normal approximation of the binomial count of
 * values below the true quantile) give a distribution-free interval [x(l), x(u)] with l = ⌊np − z·√(np(1−p))⌋ and
 * u = ⌈np + z·√(np(1−p))⌉. Its half-width read as z standard errors gives SE = (x(u) − x(l)) / (2z), as Deng,
 * Knoblich and Lu do for percentile metrics (KDD 2018). The variants are independent, so the difference has
 * SE = √(SE_c² + SE_t²) and a normal interval; the relative lift q_t/q_c − 1 has its delta-method SE.
 */
final class QuantileEffect {
    private QuantileEffect() {}

    /**
     * One variant's order statistics as the warehouse returns them.
     *
     * @param low  x(l), or null when l is below rank 1
     * @param high x(u), or null when u is above rank n
     * @param min  x(1), standing in for a low bound below rank 1
     * @param max  x(n), standing in for a high bound above rank n
     */
    record OrderStatistics(long n, double point, Double low, Double high, double min, double max) {
    }

    /**
     * A variant's quantile with its interval and standard error.
     *
     * @param clipped a bound fell outside 1..n and the interval was widened to the smallest or largest value
     */
    record Variant(long n, double point, double low, double high, double stdError, boolean clipped) {
    }

    static Variant variant(OrderStatistics s, double z) {
        double low = s.low() == null ? s.min() : s.low();
        double high = s.high() == null ? s.max() : s.high();
        return new Variant(s.n(), s.point(), low, high, (high - low) / (2 * z), s.low() == null || s.high() == null);
    }

    /**
     * @param estimate treatment minus control, or null
     * @param notes    why there is no estimate, or what weakens it
     */
    record Comparison(Estimate estimate, List<String> notes) {
    }

    static Comparison compare(String label, String control, Variant c, String treatment, Variant t) {
        List<String> notes = new ArrayList<>();
        for (var v : List.of(java.util.Map.entry(control, c), java.util.Map.entry(treatment, t))) {
            if (v.getValue().clipped()) {
                notes.add("variant '" + v.getKey() + "' has too few subjects (" + v.getValue().n() + ") for the"
                        + " interval of " + label + ": a rank bound falls outside the data, so the interval stops at"
                        + " the smallest or largest value and the standard error is understated");
            }
        }
        double se = Math.sqrt(c.stdError() * c.stdError() + t.stdError() * t.stdError());
        if (!(se > 0)) {
            notes.add(label + " has a zero-width interval in both variants (its neighbouring order statistics are"
                    + " equal, as with many tied values): there is no uncertainty to test against");
            return new Comparison(null, notes);
        }
        double z = Comparisons.normalQuantile();
        double diff = t.point() - c.point();
        Estimate.Interval relative = null;
        if (c.point() != 0) {
            double qc = c.point();
            double relSe = Math.sqrt(t.stdError() * t.stdError() / (qc * qc)
                    + t.point() * t.point() * c.stdError() * c.stdError() / (qc * qc * qc * qc));
            relative = Comparisons.interval(diff / qc, relSe, z);
        }
        return new Comparison(Comparisons.normal(diff, se, relative), notes);
    }
}
