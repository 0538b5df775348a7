package dev.fletcher.analysis.cuped;

/**
 * Student t, χ² and the standard normal, through the regularized incomplete beta and gamma functions. Accurate
 * to about 1e-12 in the ranges statistics use; quantiles invert the distribution functions by bisection, which
 * is slow by numerical standards but exact to the last bits and a few microseconds per call.
 */
final class Distributions {
    private static final double EPSILON = 1e-15;
    private static final double TINY = 1e-300;
    private static final int MAX_ITERATIONS = 10_000;
    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
        771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
        9.9843695780195716e-6, 1.5056327351493116e-7};

    private Distributions() {}

    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        double t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /** I_x(a, b). */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        // The continued fraction converges fast only on this side; the other follows by symmetry.
        if (x < (a + 1) / (a + b + 2)) {
            return front * betaFraction(x, a, b) / a;
        }
        return 1 - front * betaFraction(1 - x, b, a) / b;
    }

    private static double betaFraction(double x, double a, double b) {
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < TINY ? TINY : d);
        double h = d;
        for (int m = 1; m <= MAX_ITERATIONS; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + aa * d;
            d = 1 / (Math.abs(d) < TINY ? TINY : d);
            c = 1 + aa / c;
            c = Math.abs(c) < TINY ? TINY : c;
            h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + aa * d;
            d = 1 / (Math.abs(d) < TINY ? TINY : d);
            c = 1 + aa / c;
            c = Math.abs(c) < TINY ? TINY : c;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                return h;
            }
        }
        throw new ArithmeticException("incomplete beta did not converge for x=" + x + " a=" + a + " b=" + b);
    }

    /** Q(a, x) = Γ(a, x) / Γ(a), the upper regularized incomplete gamma. */
    static double regularizedGammaQ(double a, double x) {
        if (x <= 0) {
            return 1;
        }
        if (x < a + 1) {
            return 1 - gammaSeries(a, x);
        }
        double b = x + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i <= MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = 1 / (Math.abs(d) < TINY ? TINY : d);
            c = b + an / c;
            c = Math.abs(c) < TINY ? TINY : c;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
            }
        }
        throw new ArithmeticException("incomplete gamma did not converge for a=" + a + " x=" + x);
    }

    private static double gammaSeries(double a, double x) {
        double ap = a;
        double sum = 1 / a;
        double term = sum;
        for (int i = 1; i <= MAX_ITERATIONS; i++) {
            ap += 1;
            term *= x / ap;
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * EPSILON) {
                return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
            }
        }
        throw new ArithmeticException("incomplete gamma series did not converge for a=" + a + " x=" + x);
    }

    /** P(T ≤ t) for Student's t with {@code df} degrees of freedom (infinite: the normal). */
    static double tCdf(double t, double df) {
        if (Double.isInfinite(df)) {
            return normalCdf(t);
        }
        double tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
        return t > 0 ? 1 - tail : tail;
    }

    /** Two-sided p-value of a t statistic. */
    static double tTwoSided(double t, double df) {
        if (Double.isInfinite(df)) {
            return 2 * normalUpper(Math.abs(t));
        }
        return regularizedBeta(df / (df + t * t), df / 2, 0.5);
    }

    static double tQuantile(double p, double df) {
        return invert(x -> tCdf(x, df), p);
    }

    static double normalCdf(double x) {
        return x >= 0 ? 1 - normalUpper(x) : normalUpper(-x);
    }

    /** P(Z > x) for x ≥ 0, without the cancellation of 1 - Φ(x). */
    private static double normalUpper(double x) {
        return 0.5 * regularizedGammaQ(0.5, x * x / 2);
    }

    static double normalQuantile(double p) {
        return invert(Distributions::normalCdf, p);
    }

    /** P(X ≥ x) for χ² with {@code df} degrees of freedom. */
    static double chiSquaredUpper(double x, double df) {
        return regularizedGammaQ(df / 2, x / 2);
    }

    private static double invert(java.util.function.DoubleUnaryOperator cdf, double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("a probability strictly between 0 and 1 is needed, got " + p);
        }
        double lo = -1;
        double hi = 1;
        while (cdf.applyAsDouble(lo) > p) {
            lo *= 2;
        }
        while (cdf.applyAsDouble(hi) < p) {
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); i++) {
            double mid = 0.5 * (lo + hi);
            if (cdf.applyAsDouble(mid) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
