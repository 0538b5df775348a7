package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.analysis.Estimate;

/**
 * Asymptotic confidence sequences (Waudby-Smith, Arbour, Sinha, Kennedy and Ramdas, "Time-uniform central limit theory
 * and asymptotic confidence sequences", arXiv:2103.06476, 2023), the two-sided form with the mixing parameter ρ
 * chosen so that the sequence is as narrow as it can be at N* subjects, as GrowthBook uses it. For an estimate with
 * standard error SE over n = n_A + n_B subjects, s² = SE²·n stands for the per-subject variance.
 */
final class ConfidenceSequence {
    private ConfidenceSequence() {}

    static double rho(double alpha, double tuning) {
        double l = -2 * Math.log(alpha);
        return Math.sqrt((l + Math.log(l + 1)) / tuning);
    }

    /** Half the width of the sequence at n: s·sqrt(2(nρ² + 1)·ln(sqrt(nρ² + 1)/α) / (nρ)²). */
    static double halfWidth(double se, long n, double alpha, double tuning) {
        double rho = rho(alpha, tuning);
        double nr2 = n * rho * rho;
        double s = se * Math.sqrt(n);
        return s * Math.sqrt(2 * (nr2 + 1) * Math.log(Math.sqrt(nr2 + 1) / alpha) / (n * rho * n * rho));
    }

    /**
     * The always-valid p-value of θ = 0: 1/e capped at 1, with e = exp(ρ²·st² / (2(nρ² + 1))) / sqrt(nρ² + 1) and
     * st² = θ̂²·n / SE². It is below α exactly when 0 is outside the sequence.
     */
    static double pValue(double estimate, double se, long n, double alpha, double tuning) {
        double rho = rho(alpha, tuning);
        double nr2 = n * rho * rho;
        double st2 = estimate * estimate * n / (se * se);
        // In logs: e overflows long before the p-value stops being worth reporting.
        double logE = rho * rho * st2 / (2 * (nr2 + 1)) - 0.5 * Math.log(nr2 + 1);
        return Math.exp(-Math.max(0, logE));
    }

    /** {@code e} with its sequence at n subjects, for it and for its relative counterpart. */
    static Estimate.Sequential of(Estimate e, long n, double alpha, double tuning) {
        double half = halfWidth(e.stdError(), n, alpha, tuning);
        Estimate.Interval relative = null;
        Estimate.Interval r = e.relative();
        if (r != null && Double.isFinite(r.stdError())) {
            double h = halfWidth(r.stdError(), n, alpha, tuning);
            relative = new Estimate.Interval(r.estimate(), r.estimate() - h, r.estimate() + h, r.stdError());
        }
        return new Estimate.Sequential(tuning, e.estimate() - half, e.estimate() + half,
                pValue(e.estimate(), e.stdError(), n, alpha, tuning), relative);
    }
}
