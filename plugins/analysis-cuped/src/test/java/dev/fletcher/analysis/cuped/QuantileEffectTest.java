package dev.fletcher.analysis.cuped;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.spi.analysis.Estimate;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Against order statistics the test picks itself from sorted data with the textbook ranks
 * l = ⌊np − z√(np(1−p))⌋ and u = ⌈np + z√(np(1−p))⌉, and against simulation: the rank interval covers the true
 * quantile about 95% of the time, and the difference of quantiles rejects a true null about 5% of the time.
 */
class QuantileEffectTest {
    private static final double Z = 1.959963984540054;

    /** The order statistics of {@code data} at p, picked by their ranks (1-based) from the sorted values. */
    static QuantileEffect.OrderStatistics textbook(double[] data, double p) {
        double[] x = data.clone();
        Arrays.sort(x);
        int n = x.length;
        double half = Z * Math.sqrt(n * p * (1 - p));
        int point = (int) Math.ceil(n * p);
        int l = (int) Math.floor(n * p - half);
        int u = (int) Math.ceil(n * p + half);
        return new QuantileEffect.OrderStatistics(n, x[point - 1], l >= 1 ? x[l - 1] : null, u <= n ? x[u - 1] : null,
                x[0], x[n - 1]);
    }

    @Test
    void aSmallCaseWorkedByHand() {
        // n = 20, p = 0.5: np = 10, z√5 = 4.3826, so l = ⌊5.617⌋ = 5 and u = ⌈14.383⌉ = 15.
        double[] control = new double[20];
        double[] treatment = new double[20];
        for (int i = 0; i < 20; i++) {
            control[i] = 20 - i;
            treatment[i] = 2 * (i + 1);
        }
        QuantileEffect.Variant c = QuantileEffect.variant(textbook(control, 0.5), Z);
        QuantileEffect.Variant t = QuantileEffect.variant(textbook(treatment, 0.5), Z);
        assertThat(c.point()).isEqualTo(10);
        assertThat(c.low()).isEqualTo(5);
        assertThat(c.high()).isEqualTo(15);
        assertThat(c.stdError()).isCloseTo(10 / (2 * Z), within(1e-12));
        assertThat(t.point()).isEqualTo(20);
        assertThat(t.stdError()).isCloseTo(20 / (2 * Z), within(1e-12));
        QuantileEffect.Comparison comparison = QuantileEffect.compare("m p50", "control", c, "treatment", t);
        assertThat(comparison.notes()).isEmpty();
        Estimate e = comparison.estimate();
        double se = Math.sqrt(100 + 400) / (2 * Z);
        assertThat(e.estimate()).isEqualTo(10);
        assertThat(e.stdError()).isCloseTo(se, within(1e-12));
        assertThat(e.ciLow()).isCloseTo(10 - Z * se, within(1e-9));
        assertThat(e.ciHigh()).isCloseTo(10 + Z * se, within(1e-9));
        // Two-sided normal p-value of z = 10 / se, by the complementary error function.
        assertThat(e.pValue()).isCloseTo(Reference.erfc(10 / se / Math.sqrt(2)), within(1e-6));
        // Relative: 20/10 − 1 with SE² = SE_t²/q_c² + q_t²·SE_c²/q_c⁴.
        double relSe = Math.sqrt(t.stdError() * t.stdError() / 100 + 400 * c.stdError() * c.stdError() / 10_000);
        assertThat(e.relative().estimate()).isCloseTo(1.0, within(1e-12));
        assertThat(e.relative().stdError()).isCloseTo(relSe, within(1e-12));
        assertThat(e.relative().ciLow()).isCloseTo(1 - Z * relSe, within(1e-9));
    }

    /** The interval's ranks are the method's assumption: checked here against the binomial they approximate. */
    @Test
    void theRankIntervalCoversTheTrueQuantileAboutNineteenTimesInTwenty() {
        // [x(l), x(u)) holds the true quantile exactly when l ≤ B < u for B ~ Binomial(n, p), the number of values
        // below it: summed here term by term.
        for (double p : new double[] {0.5, 0.9, 0.99}) {
            int n = 2000;
            double half = Z * Math.sqrt(n * p * (1 - p));
            double coverage = 0;
            for (int b = (int) Math.floor(n * p - half); b < (int) Math.ceil(n * p + half); b++) {
                coverage += Math.exp(logChoose(n, b) + b * Math.log(p) + (n - b) * Math.log1p(-p));
            }
            assertThat(coverage).as("coverage at p = %s", p).isBetween(0.94, 0.97);
        }
    }

    @Test
    void theDifferenceIsCalibratedOnSimulatedExperiments() {
        Random random = new Random(11);
        int runs = 1000;
        int rejectedNull = 0;
        int covered = 0;
        double p = 0.9;
        double truth = 0.5 * Math.log(10); // exponential quantiles: −mean·ln(1 − p), means 1 and 1.5
        for (int run = 0; run < runs; run++) {
            double[] a = exponential(random, 300, 1);
            double[] b = exponential(random, 400, 1);
            double[] c = exponential(random, 400, 1.5);
            QuantileEffect.Variant va = QuantileEffect.variant(textbook(a, p), Z);
            Estimate nullCase = QuantileEffect.compare("m", "a", va, "b", QuantileEffect.variant(textbook(b, p), Z))
                    .estimate();
            Estimate effect = QuantileEffect.compare("m", "a", va, "c", QuantileEffect.variant(textbook(c, p), Z))
                    .estimate();
            if (nullCase.pValue() < 0.05) {
                rejectedNull++;
            }
            if (effect.ciLow() <= truth && truth <= effect.ciHigh()) {
                covered++;
            }
        }
        // The binomial noise of 1000 runs is about ±1.4 points at 95%.
        assertThat(rejectedNull / (double) runs).isBetween(0.02, 0.08);
        assertThat(covered / (double) runs).isBetween(0.92, 0.98);
    }

    @Test
    void tiesThatLeaveNoWidthGiveNoEstimate() {
        double[] zeros = new double[50];
        QuantileEffect.Variant c = QuantileEffect.variant(textbook(zeros, 0.5), Z);
        QuantileEffect.Comparison comparison = QuantileEffect.compare("m p50", "control", c, "treatment", c);
        assertThat(comparison.estimate()).isNull();
        assertThat(comparison.notes()).singleElement().asString().contains("zero-width");
    }

    @Test
    void boundsOutsideTheDataAreClippedAndSaidSo() {
        double[] few = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
        QuantileEffect.OrderStatistics s = textbook(few, 0.99);
        assertThat(s.high()).isNull();
        QuantileEffect.Variant v = QuantileEffect.variant(s, Z);
        assertThat(v.clipped()).isTrue();
        assertThat(v.high()).isEqualTo(9);
        QuantileEffect.Comparison comparison = QuantileEffect.compare("m p99", "control", v, "treatment", v);
        assertThat(comparison.notes()).anySatisfy(n -> assertThat(n).contains("too few subjects (10)"));
    }

    private static double[] exponential(Random random, int n, double mean) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -mean * Math.log(1 - random.nextDouble());
        }
        return x;
    }

    private static double logChoose(int n, int k) {
        return Distributions.logGamma(n + 1) - Distributions.logGamma(k + 1) - Distributions.logGamma(n - k + 1);
    }
}
