package dev.fletcher.analysis.cuped;

import static dev.fletcher.analysis.cuped.Reference.covariance;
import static dev.fletcher.analysis.cuped.Reference.mean;
import static dev.fletcher.analysis.cuped.Reference.variance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import dev.fletcher.spi.analysis.Estimate;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Against the linearisation the delta method stands for: a variant's ratio R = mean N / mean D varies like the mean
 * of the per-subject values (N - R·D) / mean D, whose sample variance over n is worked out row by row.
 */
class RatioDeltaTest {
    private static final double Z = 1.959963984540054;

    @Test
    void aSmallCaseWorkedByHand() {
        // Control: R = 4 / 2 = 2, N - 2D = 0, 2, -2, variance 4, so v = 4 / (3 · 2²) = 1/3.
        RatioDelta.Group control = group("control", new double[][] {{2, 1}, {6, 2}, {4, 3}});
        // Treatment: R = 6 / 2 = 3, N - 3D = 1, -1, 0, 0, variance 2/3, so v = (2/3) / (4 · 2²) = 1/24.
        RatioDelta.Group treatment = group("treatment", new double[][] {{4, 1}, {8, 3}, {6, 2}, {6, 2}});
        RatioDelta.Comparison c = RatioDelta.compare("revenue_per_order", control, treatment);
        assertThat(c.means()).containsExactly(entry("control", 2.0), entry("treatment", 3.0));
        assertThat(c.note()).isNull();
        Estimate e = c.estimate();
        // se = √(1/3 + 1/24) = √(3/8); p = 2 (1 - Φ(1 / √(3/8))).
        assertThat(e.estimate()).isCloseTo(1.0, within(1e-14));
        assertThat(e.stdError()).isCloseTo(0.6123724356957945, within(1e-14));
        assertThat(e.ciLow()).isCloseTo(-0.20022791908882742, within(1e-12));
        assertThat(e.ciHigh()).isCloseTo(2.200227919088827, within(1e-12));
        assertThat(e.pValue()).isCloseTo(0.10247043485974937, within(1e-12));
        // 3/2 - 1 with se √(v_t / 2² + 3² v_c / 2⁴) = √(1/96 + 18/96).
        assertThat(e.relative().estimate()).isCloseTo(0.5, within(1e-14));
        assertThat(e.relative().ciLow()).isCloseTo(0.5 - Z * Math.sqrt(19.0 / 96), within(1e-12));
        assertThat(e.relative().ciHigh()).isCloseTo(0.5 + Z * Math.sqrt(19.0 / 96), within(1e-12));
    }

    @Test
    void matchesTheLinearisationOnRandomSubjects() {
        Random random = new Random(7);
        double[][] control = subjects(random, 400, 50, 0);
        double[][] treatment = subjects(random, 500, 50, 3);
        RatioDelta.Comparison c = RatioDelta.compare("m", group("control", control), group("treatment", treatment));
        double[] r = {ratio(control), ratio(treatment)};
        double[] v = {linearisedVariance(control), linearisedVariance(treatment)};
        assertThat(c.means()).containsExactly(entry("control", r[0]), entry("treatment", r[1]));
        assertThat(c.estimate().estimate()).isCloseTo(r[1] - r[0], withPercentage(1e-10));
        assertThat(c.estimate().stdError()).isCloseTo(Math.sqrt(v[0] + v[1]), withPercentage(1e-8));
        // The relative lift R_t / R_c - 1, its gradient taken by central differences.
        DoubleBinaryOperator lift = (rc, rt) -> rt / rc - 1;
        double hc = 1e-6 * r[0];
        double ht = 1e-6 * r[1];
        double dControl = (lift.applyAsDouble(r[0] + hc, r[1]) - lift.applyAsDouble(r[0] - hc, r[1])) / (2 * hc);
        double dTreatment = (lift.applyAsDouble(r[0], r[1] + ht) - lift.applyAsDouble(r[0], r[1] - ht)) / (2 * ht);
        double relativeSe = Math.sqrt(dControl * dControl * v[0] + dTreatment * dTreatment * v[1]);
        Estimate.Interval relative = c.estimate().relative();
        assertThat(relative.estimate()).isCloseTo(r[1] / r[0] - 1, withPercentage(1e-10));
        assertThat((relative.ciHigh() - relative.ciLow()) / (2 * Z)).isCloseTo(relativeSe, withPercentage(1e-5));
    }

    @Test
    void aZeroDenominatorIsNamedWithItsVariant() {
        RatioDelta.Group normal = group("control", new double[][] {{2, 1}, {6, 2}, {4, 3}});
        RatioDelta.Group none = group("treatment", new double[][] {{4, 0}, {8, 0}});
        RatioDelta.Comparison c = RatioDelta.compare("revenue_per_order", normal, none);
        assertThat(c.estimate()).isNull();
        assertThat(c.note()).isEqualTo("the denominator of 'revenue_per_order' is 0 in variant 'treatment'");
        // Control's ratio was worked out before the treatment's denominator stopped the comparison.
        assertThat(c.means()).containsExactly(entry("control", 2.0));
        RatioDelta.Comparison first = RatioDelta.compare("revenue_per_order",
                group("control", new double[][] {{4, 0}, {8, 0}}), normal);
        assertThat(first.note()).isEqualTo("the denominator of 'revenue_per_order' is 0 in variant 'control'");
        assertThat(first.means()).isEmpty();
    }

    @Test
    void tooFewSubjectsGiveTheRatiosButNoEstimateAndNoNote() {
        RatioDelta.Group three = group("control", new double[][] {{2, 1}, {6, 2}, {4, 3}});
        RatioDelta.Comparison one = RatioDelta.compare("m", three, group("treatment", new double[][] {{9, 3}}));
        // The caller has already said that each variant needs two subjects.
        assertThat(one).isEqualTo(new RatioDelta.Comparison(Map.of("control", 2.0, "treatment", 3.0),
                null, null));
        RatioDelta.Comparison empty = RatioDelta.compare("m", group("control", new double[0][]), three);
        assertThat(empty.means()).isEmpty();
        assertThat(empty.estimate()).isNull();
        assertThat(empty.note()).isNull();
    }

    @Test
    void numeratorsProportionalToDenominatorsLeaveNothingToTest() {
        RatioDelta.Comparison c = RatioDelta.compare("m", group("control", new double[][] {{2, 1}, {4, 2}, {6, 3}}),
                group("treatment", new double[][] {{3, 1}, {6, 2}}));
        assertThat(c.estimate()).isNull();
        assertThat(c.note()).isEqualTo("metric 'm' has no variance in either variant: there is nothing to test");
        assertThat(c.means()).containsExactly(entry("control", 2.0), entry("treatment", 3.0));
    }

    @Test
    void aZeroControlRatioHasNoRelativeLift() {
        RatioDelta.Group zero = group("control", new double[][] {{0, 1}, {0, 2}, {0, 3}});
        RatioDelta.Group treatment = group("treatment", new double[][] {{4, 1}, {8, 3}, {6, 2}, {6, 2}});
        Estimate e = RatioDelta.compare("m", zero, treatment).estimate();
        assertThat(e.estimate()).isCloseTo(3.0, within(1e-14));
        // Control adds no variance: only the treatment's 1/24.
        assertThat(e.stdError()).isCloseTo(Math.sqrt(1.0 / 24), within(1e-14));
        assertThat(e.relative()).isNull();
    }

    /** Rows of numerator and denominator: a count of 1 to 4 orders, each worth about {@code scale}. */
    private static double[][] subjects(Random random, int n, double scale, double lift) {
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            double orders = 1 + random.nextInt(4);
            rows[i] = new double[] {orders * (scale + lift + 10 * random.nextGaussian()) + 20 * random.nextDouble(),
                orders};
        }
        return rows;
    }

    private static RatioDelta.Group group(String variant, double[][] rows) {
        double[] num = column(rows, 0);
        double[] den = column(rows, 1);
        return new RatioDelta.Group(variant, new Comparisons.Moments(rows.length, mean(num), variance(num)),
                new Comparisons.Moments(rows.length, mean(den), variance(den)), covariance(num, den));
    }

    private static double ratio(double[][] rows) {
        return mean(column(rows, 0)) / mean(column(rows, 1));
    }

    private static double linearisedVariance(double[][] rows) {
        double r = ratio(rows);
        double md = mean(column(rows, 1));
        double[] u = Arrays.stream(rows).mapToDouble(row -> (row[0] - r * row[1]) / md).toArray();
        return variance(u) / rows.length;
    }

    private static double[] column(double[][] rows, int index) {
        return Arrays.stream(rows).mapToDouble(row -> row[index]).toArray();
    }
}
