package dev.fletcher.analysis.cuped;

import static dev.fletcher.analysis.cuped.Reference.mean;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import dev.fletcher.analysis.cuped.Reference.Ols;
import dev.fletcher.spi.analysis.CupedEstimate;
import dev.fletcher.spi.analysis.Estimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The fit from per-variant sums, against answers worked from the subject rows: by hand for a small case, and by
 * {@link Reference.Ols} (its own residuals, one by one) for a large one at a 1e7 offset. A row is
 * {treatment 0/1, y, covariates...}; the sums are taken here from the rows, as the warehouse would.
 */
class CupedFitTest {
    private static final double[] NO_SHIFTS = new double[3];

    /**
     * y = 1 + 2·treatment + 3·z + e, with residuals e = (1, -2, 1) in control and (2, -2, 2, -2) in treatment,
     * orthogonal to 1, treatment and z, so the coefficients are exactly (1, 2, 3). X'X = [[7, 4, 0], [4, 4, 0],
     * [0, 0, 6]], whose inverse has 7/12 for the treatment. RSS = 6 + 16 = 22 over n - p = 4 degrees of freedom.
     */
    private static final List<double[]> SMALL = List.of(
            new double[] {0, -1, -1}, new double[] {0, -1, 0}, new double[] {0, 5, 1},
            new double[] {1, 2, -1}, new double[] {1, -2, -1}, new double[] {1, 8, 1}, new double[] {1, 4, 1});

    @Test
    void aSmallCaseWorkedByHand() {
        CupedFit fit = fit(SMALL, NO_SHIFTS, 0, "pre");
        assertThat(fit.coefficients()).containsExactly(new double[] {1, 2, 3}, within(1e-12));
        // HC0 for the treatment is Σe²/n² per variant: 6/9 + 16/16 = 5/3; HC1 scales it by n / (n - p) = 7/4.
        double seHc1 = hc1(fit, SMALL, NO_SHIFTS);
        assertThat(seHc1).isCloseTo(Math.sqrt(35.0 / 12), within(1e-12));

        CupedEstimate cuped = fit.estimate(1.0, seHc1);
        assertThat(cuped.covariates()).containsExactly("pre");
        assertThat(cuped.stdErrorHc1()).isEqualTo(seHc1);
        Estimate e = cuped.estimate();
        // Classical: σ² · 7/12 = 22/4 · 7/12 = 77/24. t with 4 degrees of freedom: 2.7764 at 0.975.
        assertThat(e.estimate()).isCloseTo(2.0, within(1e-12));
        assertThat(e.stdError()).isCloseTo(Math.sqrt(77.0 / 24), within(1e-12));
        assertThat(e.ciLow()).isCloseTo(-2.9731187879924867, within(1e-9));
        assertThat(e.ciHigh()).isCloseTo(6.973118787992487, within(1e-9));
        assertThat(e.pValue()).isCloseTo(0.32671681572386296, within(1e-9));
        // The control's y averages 1, so the lift is 2 / 1, with the coefficient's own standard error and the same
        // t quantile (4 degrees of freedom) as the absolute interval.
        assertThat(e.relative().estimate()).isCloseTo(2.0, within(1e-12));
        assertThat(e.relative().ciLow()).isCloseTo(-2.9731187879924867, within(1e-9));
        assertThat(e.relative().ciHigh()).isCloseTo(6.973118787992487, within(1e-9));
        // Without the covariate the pooled within-variant variance (24 + 52) / 5 times 1/3 + 1/4 is 133/15. So the
        // variance reduction is 1 - (77/24) / (133/15) = 97/152.
        assertThat(cuped.varianceReduction()).isCloseTo(97.0 / 152, within(1e-12));
        assertThat(fit.estimate(0.0, seHc1).estimate().relative()).isNull();
        assertThat(fit.estimate(null, seHc1).estimate().relative()).isNull();
    }

    @Test
    void shiftsMoveOnlyTheIntercept() {
        double[] shifts = {0, 100, 7};
        CupedFit fit = fit(SMALL, shifts, 0, "pre");
        // y - 100 = (1 + 21 - 100) + 2·treatment + 3·(z - 7) + e.
        assertThat(fit.coefficients()).containsExactly(new double[] {-78, 2, 3}, within(1e-10));
        assertThat(hc1(fit, SMALL, shifts)).isCloseTo(Math.sqrt(35.0 / 12), within(1e-10));
        assertThat(fit.estimate(1.0, 0).estimate().stdError()).isCloseTo(Math.sqrt(77.0 / 24), within(1e-10));
    }

    @Test
    void aRidgeShrinksTheCovariateAndTheStandardErrorFollows() {
        // z is orthogonal to 1 and treatment here: its coefficient is Σz·y / (Σz² + ridge) = 18 / (6 + 3) = 2, the
        // treatment's stays 2, and the residuals grow by z: RSS = 22 + 6 = 28, so σ² = 7 and se = √(7 · 7/12).
        CupedFit fit = fit(SMALL, NO_SHIFTS, 3, "pre");
        assertThat(fit.coefficients()).containsExactly(new double[] {1, 2, 2}, within(1e-12));
        assertThat(fit.estimate(1.0, 0).estimate().stdError()).isCloseTo(7 / Math.sqrt(12), within(1e-12));
    }

    @Test
    void matchesASubjectLevelFitAtALargeOffset() {
        List<double[]> rows = correlated(new Random(11), 3000);
        double[] shifts = shifts(rows);
        CupedFit fit = fit(rows, shifts, 0, "a", "b");
        double seHc1 = hc1(fit, rows, shifts);
        CupedEstimate cuped = fit.estimate(1e7, seHc1);
        Ols ols = Ols.fit(rows, 1, 2, 3);
        assertThat(cuped.estimate().estimate()).isCloseTo(ols.beta[1], withPercentage(1e-6));
        assertThat(cuped.estimate().stdError()).isCloseTo(ols.se, withPercentage(1e-6));
        assertThat(seHc1).isCloseTo(ols.seHc1, withPercentage(1e-6));
        assertThat(seHc1).isNotCloseTo(ols.se, withPercentage(1));
        double plain = Ols.fit(rows, 1).se;
        assertThat(cuped.varianceReduction()).isCloseTo(1 - (ols.se / plain) * (ols.se / plain), withPercentage(1e-6));
    }

    @Test
    void aRidgeOnCorrelatedCovariatesMatchesTheSubjectLevelSandwich() {
        List<double[]> rows = correlated(new Random(5), 2000);
        double[] shifts = shifts(rows);
        // About Σa² itself: enough to move the treatment coefficient.
        double ridge = 2e4;
        CupedFit fit = fit(rows, shifts, ridge, "a", "b");
        Ols ols = Ols.fit(rows, ridge, 1, 2, 3);
        CupedEstimate cuped = fit.estimate(1e7, hc1(fit, rows, shifts));
        assertThat(cuped.estimate().estimate()).isCloseTo(ols.beta[1], withPercentage(1e-6));
        assertThat(cuped.estimate().estimate()).isNotCloseTo(Ols.fit(rows, 1, 2, 3).beta[1], withPercentage(1));
        assertThat(cuped.estimate().stdError()).isCloseTo(ols.se, withPercentage(1e-6));
        assertThat(cuped.stdErrorHc1()).isCloseTo(ols.seHc1, withPercentage(1e-6));
    }

    @Test
    void tooFewSubjectsForTheCoefficients() {
        List<double[]> three = List.of(new double[] {0, 1, 1}, new double[] {0, 2, 3}, new double[] {1, 4, 2});
        assertThat(outcome(three, NO_SHIFTS, 0, "pre")).isEqualTo(new CupedFit.Outcome(null,
                List.of("CUPED needs more subjects than its 3 coefficients; it has 3")));
    }

    @Test
    void aConstantCovariateCannotAdjust() {
        List<double[]> rows = List.of(new double[] {0, 1, 1e7}, new double[] {0, 2, 1e7}, new double[] {1, 4, 1e7},
                new double[] {1, 3, 1e7});
        List<String> notes = List.of("covariate 'pre' (before assignment) has the same value for every subject, so it"
                + " cannot adjust 'revenue'; it is left out", "no covariate can adjust 'revenue'; CUPED is skipped");
        assertThat(outcome(rows, NO_SHIFTS, 0, "pre")).isEqualTo(new CupedFit.Outcome(null, notes));
        assertThat(outcome(rows, new double[] {0, 2.5, 1e7}, 0, "pre").notes()).isEqualTo(notes);
        // A spread of 1e-15 of the covariate's size is rounding, not information, though its shifted sums are not 0.
        List<double[]> wobbling = List.of(new double[] {0, 1, 1e7}, new double[] {0, 2, 1e7 + 1e-8},
                new double[] {1, 4, 1e7 + 2e-8}, new double[] {1, 3, 1e7 + 3e-8});
        assertThat(outcome(wobbling, new double[] {0, 2.5, 1e7}, 0, "pre").notes()).isEqualTo(notes);
    }

    @Test
    void aConstantCovariateIsLeftOutAndTheOthersAdjust() {
        List<double[]> rows = correlated(new Random(11), 400);
        List<double[]> withConstant = rows.stream().map(r -> new double[] {r[0], r[1], 5, r[2], r[3]}).toList();
        double[] shifts = shifts(withConstant);
        CupedFit.Outcome outcome = outcome(withConstant, shifts, 0, "flat", "a", "b");
        assertThat(outcome.notes()).containsExactly("covariate 'flat' (before assignment) has the same value for every"
                + " subject, so it cannot adjust 'revenue'; it is left out");
        assertSameAsReference(outcome.fit(), withConstant, shifts, Ols.fit(withConstant, 1, 3, 4), "a", "b");
    }

    @Test
    void aCollinearCovariateIsLeftOutAndTheRestAdjust() {
        List<double[]> rows = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 40; i++) {
            double pre = i + random.nextGaussian();
            rows.add(new double[] {i % 2, pre * pre + random.nextGaussian(), pre, 2 * pre + 1});
        }
        double[] shifts = new double[4];
        // pre_doubled = 2 pre + 1: the intercept and pre determine it, so it is left out, as lm leaves out an aliased
        // column; the fit is the one with pre alone, as the subject-level reference computes it.
        CupedFit.Outcome outcome = outcome(rows, shifts, 0, "pre", "pre_doubled");
        assertThat(outcome.notes()).containsExactly("covariate 'pre_doubled' of 'revenue' is collinear with the"
                + " treatment and the covariates before it [pre] (X'X would be singular); it is left out (or set"
                + " cuped.ridge)");
        assertSameAsReference(outcome.fit(), rows, shifts, Ols.fit(rows, 1, 2), "pre");
        // With a ridge X'X is not singular: both stay.
        CupedFit.Outcome ridged = outcome(rows, shifts, 1, "pre", "pre_doubled");
        assertThat(ridged.notes()).isEmpty();
        assertThat(ridged.fit()).isNotNull();
        // A covariate that is the treatment indicator itself: nothing is left to adjust with.
        List<double[]> assigned = rows.stream().map(r -> new double[] {r[0], r[1], r[0]}).toList();
        assertThat(outcome(assigned, NO_SHIFTS, 0, "pre").notes()).containsExactly("covariate 'pre' of 'revenue' is"
                + " collinear with the treatment (X'X would be singular); it is left out (or set cuped.ridge)",
                "no covariate can adjust 'revenue'; CUPED is skipped");
        assertThat(outcome(assigned, NO_SHIFTS, 0, "pre").fit()).isNull();
    }

    /** The fit's covariates, estimate, classical and HC1 errors are those of the subject-level OLS. */
    private static void assertSameAsReference(CupedFit fit, List<double[]> rows, double[] shifts, Ols ols,
            String... covariates) {
        assertThat(fit).isNotNull();
        CupedEstimate cuped = fit.estimate(null, hc1(fit, rows, shifts));
        assertThat(cuped.covariates()).containsExactly(covariates);
        assertThat(cuped.estimate().estimate()).isCloseTo(ols.beta[1], withPercentage(1e-6));
        assertThat(cuped.estimate().stdError()).isCloseTo(ols.se, withPercentage(1e-6));
        assertThat(cuped.stdErrorHc1()).isCloseTo(ols.seHc1, withPercentage(1e-6));
    }

    @Test
    void noResidualVarianceLeavesNothingToTest() {
        // y is constant within each variant: without covariates there is no variance at all.
        List<double[]> rows = List.of(new double[] {0, 5, 1}, new double[] {0, 5, 2}, new double[] {0, 5, 4},
                new double[] {1, 7, 1}, new double[] {1, 7, 3});
        assertThat(outcome(rows, NO_SHIFTS, 0, "pre")).isEqualTo(new CupedFit.Outcome(null,
                List.of("the CUPED fit of 'revenue' leaves no residual variance: there is nothing to test")));
    }

    /**
     * Outcome and two covariates at 1e7, where sums of unshifted values would lose the answer; the first covariate
     * leans towards treatment, so that a ridge on it moves the treatment's coefficient.
     */
    private static List<double[]> correlated(Random random, int n) {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int treatment = i % 3 == 0 ? 1 : 0;
            double a = random.nextGaussian() * 3 + treatment;
            double b = 0.5 * a + random.nextGaussian() * 2;
            // The noise is larger in treatment and grows with a: the HC1 error differs from the classical one.
            double noise = random.nextGaussian() * (1 + treatment + 0.2 * Math.abs(a));
            rows.add(new double[] {treatment, 1e7 + 0.8 * a + 0.3 * b + 0.4 * treatment + noise, 1e7 + a, 1e7 + b});
        }
        return rows;
    }

    /** As the warehouse shifts: each value by its mean over all subjects. */
    private static double[] shifts(List<double[]> rows) {
        double[] shifts = new double[rows.get(0).length];
        for (int c = 1; c < shifts.length; c++) {
            int column = c;
            shifts[c] = mean(rows.stream().mapToDouble(r -> r[column]).toArray());
        }
        return shifts;
    }

    private static CupedFit fit(List<double[]> rows, double[] shifts, double ridge, String... covariates) {
        CupedFit.Outcome outcome = outcome(rows, shifts, ridge, covariates);
        assertThat(outcome.notes()).isEmpty();
        return outcome.fit();
    }

    private static CupedFit.Outcome outcome(List<double[]> rows, double[] shifts, double ridge, String... covariates) {
        double[] covariateShifts = new double[covariates.length];
        System.arraycopy(shifts, 2, covariateShifts, 0, covariates.length);
        return CupedFit.fit("revenue", List.of(covariates), group(rows, 0, shifts), group(rows, 1, shifts),
                covariateShifts, ridge);
    }

    /** The HC1 error from Σ e²·x xᵀ, the residuals taken with the fit's own coefficients as the warehouse does. */
    private static double hc1(CupedFit fit, List<double[]> rows, double[] shifts) {
        double[] b = fit.coefficients();
        ToDoubleFunction<double[]> squaredResidual = row -> {
            double e = row[1] - shifts[1] - b[0] - b[1] * row[0];
            for (int j = 2; j < row.length; j++) {
                e -= b[j] * (row[j] - shifts[j]);
            }
            return e * e;
        };
        return fit.stdErrorHc1(weighted(rows, 0, shifts, squaredResidual), weighted(rows, 1, shifts, squaredResidual));
    }

    private static CupedFit.Group group(List<double[]> rows, int variant, double[] shifts) {
        CupedFit.Weighted x = weighted(rows, variant, shifts, row -> 1);
        int k = x.z().length;
        double y = 0;
        double yy = 0;
        double[] zy = new double[k];
        for (double[] row : rows) {
            if (row[0] == variant) {
                double v = row[1] - shifts[1];
                y += v;
                yy += v * v;
                for (int i = 0; i < k; i++) {
                    zy[i] += (row[i + 2] - shifts[i + 2]) * v;
                }
            }
        }
        return new CupedFit.Group(Math.round(x.weight()), x.z(), x.zz(), y, yy, zy);
    }

    /** Σw, Σw·zᵢ, Σw·zᵢ·zⱼ over one variant's rows, the covariates shifted. */
    private static CupedFit.Weighted weighted(List<double[]> rows, int variant, double[] shifts,
            ToDoubleFunction<double[]> weight) {
        int k = rows.get(0).length - 2;
        double total = 0;
        double[] z = new double[k];
        double[][] zz = new double[k][k];
        for (double[] row : rows) {
            if (row[0] != variant) {
                continue;
            }
            double w = weight.applyAsDouble(row);
            total += w;
            for (int i = 0; i < k; i++) {
                z[i] += w * (row[i + 2] - shifts[i + 2]);
                for (int j = 0; j < k; j++) {
                    zz[i][j] += w * (row[i + 2] - shifts[i + 2]) * (row[j + 2] - shifts[j + 2]);
                }
            }
        }
        return new CupedFit.Weighted(total, z, zz);
    }
}
