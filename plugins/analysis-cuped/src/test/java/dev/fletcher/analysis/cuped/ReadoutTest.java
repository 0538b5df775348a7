package dev.fletcher.analysis.cuped;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.catalog.model.Experiment;
import dev.fletcher.spi.analysis.AnalysisException;
import dev.fletcher.spi.analysis.BayesianReadout;
import dev.fletcher.spi.analysis.CupedEstimate;
import dev.fletcher.spi.analysis.Decision;
import dev.fletcher.spi.analysis.Estimate;
import dev.fletcher.spi.analysis.ExperimentResult;
import dev.fletcher.spi.analysis.MetricResult;
import dev.fletcher.spi.analysis.SummaryStatistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Sequential intervals, corrections and the Bayesian read-out against figures worked out here or elsewhere. */
class ReadoutTest {
    private final CupedAnalysis analysis = new CupedAnalysis(Executors.newSingleThreadExecutor(), true);

    /** The confidence sequence as the issue writes it, step by step, for α = 0.05. */
    static double[] expectedSequence(double estimate, double se, long n, double tuning) {
        double alpha = 0.05;
        double rho = Math.sqrt((-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / tuning);
        double s2 = se * se * n;
        double half = Math.sqrt(s2) * Math.sqrt(2 * (n * rho * rho + 1)
                * Math.log(Math.sqrt(n * rho * rho + 1) / alpha) / Math.pow(n * rho, 2));
        double st2 = estimate * estimate * n / (se * se);
        double e = Math.exp(rho * rho * st2 / (2 * (n * rho * rho + 1))) / Math.sqrt(n * rho * rho + 1);
        return new double[] {estimate - half, estimate + half, Math.min(1 / e, 1)};
    }

    static SummaryStatistics group(long n, double mean, double sd) {
        double sum = n * mean;
        return new SummaryStatistics(n, sum, sd * sd * (n - 1) + sum * sum / n);
    }

    @Test
    void sequentialCompareFollowsTheFormula() {
        SummaryStatistics control = group(4000, 10.0, 4.0);
        SummaryStatistics treatment = group(4100, 10.3, 4.2);
        Estimate e = analysis.compare(control, treatment, 5000.0);
        Estimate fixed = analysis.compare(control, treatment);
        assertThat(e.estimate()).isEqualTo(fixed.estimate());
        assertThat(e.ciLow()).isEqualTo(fixed.ciLow());
        assertThat(e.pValue()).isEqualTo(fixed.pValue());
        double[] expected = expectedSequence(e.estimate(), e.stdError(), 8100, 5000);
        assertThat(e.sequential().tuning()).isEqualTo(5000.0);
        assertThat(e.sequential().ciLow()).isCloseTo(expected[0], within(1e-12));
        assertThat(e.sequential().ciHigh()).isCloseTo(expected[1], within(1e-12));
        assertThat(e.sequential().pValue()).isCloseTo(expected[2], within(1e-12));
        double[] relative = expectedSequence(e.relative().estimate(), e.relative().stdError(), 8100, 5000);
        assertThat(e.sequential().relative().ciLow()).isCloseTo(relative[0], within(1e-12));
        assertThat(e.sequential().relative().ciHigh()).isCloseTo(relative[1], within(1e-12));
        // The relative standard error is the delta method's.
        double a = 4.2 * 4.2 / 4100;
        double b = 4.0 * 4.0 / 4000;
        assertThat(e.relative().stdError()).isCloseTo(Math.sqrt(a / 100 + 10.3 * 10.3 * b / 10_000), within(1e-12));

        // Wider than the fixed-horizon interval, and a larger p-value.
        assertThat(e.sequential().ciLow()).isLessThan(fixed.ciLow());
        assertThat(e.sequential().ciHigh()).isGreaterThan(fixed.ciHigh());
        assertThat(e.sequential().pValue()).isGreaterThan(fixed.pValue());
        assertThat(e.sequential().relative().ciHigh() - e.sequential().relative().ciLow())
                .isGreaterThan(e.relative().ciHigh() - e.relative().ciLow());
        // Another N* gives another sequence.
        double[] other = expectedSequence(e.estimate(), e.stdError(), 8100, 50_000);
        assertThat(analysis.compare(control, treatment, 50_000.0).sequential().ciHigh())
                .isCloseTo(other[1], within(1e-12));
        assertThat(fixed.sequential()).isNull();
    }

    @Test
    void theSequenceNarrowsAsSubjectsArriveAndStaysWiderThanTheFixedInterval() {
        double previous = Double.POSITIVE_INFINITY;
        for (long n : new long[] {100, 1_000, 5_000, 20_000, 100_000, 1_000_000}) {
            Estimate e = analysis.compare(group(n, 10.0, 4.0), group(n, 10.2, 4.0), 5000.0);
            double width = e.sequential().ciHigh() - e.sequential().ciLow();
            assertThat(width).as("n = %d", n).isLessThan(previous).isGreaterThan(e.ciHigh() - e.ciLow());
            previous = width;
        }
    }

    @Test
    void theAlwaysValidPValueIsBelowAlphaExactlyWhenZeroIsOutsideTheSequence() {
        for (double lift : new double[] {0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5}) {
            Estimate e = analysis.compare(group(3000, 10.0, 4.0), group(3000, 10.0 + lift, 4.0), 5000.0);
            boolean excludesZero = e.sequential().ciLow() > 0 || e.sequential().ciHigh() < 0;
            assertThat(e.sequential().pValue() < 0.05).as("lift %s", lift).isEqualTo(excludesZero);
            assertThat(e.sequential().pValue()).isBetween(0.0, 1.0);
        }
        // Far from 0, e overflows a double: the p-value is still a number.
        Estimate far = analysis.compare(group(3000, 10.0, 1.0), group(3000, 30.0, 1.0), 5000.0);
        assertThat(far.sequential().pValue()).isEqualTo(0.0);
    }

    @Test
    void badTuningIsRefused() {
        assertThatThrownBy(() -> analysis.compare(group(10, 1, 1), group(10, 2, 1), 0.0))
                .isInstanceOf(AnalysisException.class).hasMessageContaining("sequential_tuning");
        assertThatThrownBy(() -> analysis.compare(group(10, 1, 1), group(10, 2, 1), Double.NaN))
                .isInstanceOf(AnalysisException.class);
        // Below one subject nρ² overflows; N* counts subjects.
        assertThatThrownBy(() -> analysis.compare(group(10, 1, 1), group(10, 2, 1), 0.5))
                .isInstanceOf(AnalysisException.class).hasMessageContaining("at least 1");
        assertThat(analysis.compare(group(10, 1, 1), group(10, 2, 1), 1.0).sequential().ciHigh()).isFinite();
    }

    @Test
    void holmByHand() {
        // m = 6; sorted 0.005, 0.01, 0.03, 0.04, 0.0401, 0.2 times 6, 5, 4, 3, 2, 1 is 0.03, 0.05, 0.12, 0.12,
        // 0.0802, 0.2; the running maximum makes 0.0802 into 0.12.
        double[] adjusted = Corrections.holm(new double[] {0.01, 0.04, 0.03, 0.005, 0.2, 0.0401});
        assertThat(adjusted).containsExactly(new double[] {0.05, 0.12, 0.12, 0.03, 0.2, 0.12}, within(1e-15));
        assertThat(Corrections.holm(new double[] {0.6, 0.7})).containsExactly(1.0, 1.0);
        assertThat(Corrections.holm(new double[0])).isEmpty();
    }

    @Test
    void benjaminiHochbergAsScipy() {
        // scipy 1.17: stats.false_discovery_control([0.01, 0.04, 0.03, 0.005, 0.2, 0.0401], method='bh')
        double[] adjusted = Corrections.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.005, 0.2, 0.0401});
        assertThat(adjusted).containsExactly(new double[] {0.03, 0.04812, 0.04812, 0.03, 0.2, 0.04812}, within(1e-12));
    }

    @Test
    void bayesianPosteriorAsScipy() {
        // scipy 1.17: the conjugate normal update, then norm(mu, sd).sf(0), .ppf(0.025), .ppf(0.975), and the expected
        // losses by numerical integration (integrate.quad of max(0, -x)·pdf and max(0, x)·pdf), not the closed form.
        BayesianReadout b = BayesianLift.posterior("cuped", 0.05, 0.02, new Experiment.Bayesian(0.0, 0.3), "control",
                "treatment");
        assertThat(b.posteriorMean()).isCloseTo(0.0497787610619469, within(1e-12));
        assertThat(b.posteriorSd()).isCloseTo(0.019955703157132177, within(1e-12));
        assertThat(b.ciLow()).isCloseTo(0.010666301587795572, within(1e-9));
        assertThat(b.ciHigh()).isCloseTo(0.08889122053609821, within(1e-9));
        assertThat(b.chanceToWin()).isCloseTo(0.9936926042563782, within(1e-9));
        assertThat(b.expectedLoss().get("treatment")).isCloseTo(4.068550197955468e-05, within(1e-10));
        assertThat(b.expectedLoss().get("control")).isCloseTo(0.049819446563926444, within(1e-10));
        assertThat(b.estimate()).isEqualTo("cuped");

        BayesianReadout shrunk = BayesianLift.posterior("unadjusted", -0.01, 0.015, new Experiment.Bayesian(0.02, 0.1),
                "a", "b");
        assertThat(shrunk.posteriorMean()).isCloseTo(-0.009339853300733498, within(1e-12));
        assertThat(shrunk.posteriorSd()).isCloseTo(0.014834045293024463, within(1e-12));
        assertThat(shrunk.chanceToWin()).isCloseTo(0.26447069762830044, within(1e-9));
        assertThat(shrunk.expectedLoss()).containsOnlyKeys("a", "b");
        assertThat(shrunk.expectedLoss().get("b")).isCloseTo(0.01172359411506011, within(1e-10));
        assertThat(shrunk.expectedLoss().get("a")).isCloseTo(0.00238374081432661, within(1e-10));

        BayesianReadout flat = BayesianLift.posterior("cuped", 0.05, 0.02, Experiment.Bayesian.FLAT, "control", "t");
        assertThat(flat.posteriorMean()).isEqualTo(0.05);
        assertThat(flat.posteriorSd()).isEqualTo(0.02);
        assertThat(flat.priorSd()).isNull();
        assertThat(flat.chanceToWin()).isCloseTo(0.9937903346742238, within(1e-9));
        assertThat(flat.expectedLoss().get("t")).isCloseTo(4.008274358256399e-05, within(1e-10));
        assertThat(flat.expectedLoss().get("control")).isCloseTo(0.05004008274358257, within(1e-10));
    }

    private static Estimate estimate(double value, double se, double p) {
        return new Estimate(value, se, value - 1.96 * se, value + 1.96 * se, p,
                new Estimate.Interval(value / 10, (value - 1.96 * se) / 10, (value + 1.96 * se) / 10, se / 10));
    }

    private static MetricResult metric(String name, String variant, Estimate unadjusted, Estimate cuped) {
        return new MetricResult(name, variant, Map.of("control", 10.0, variant, 10.5), unadjusted,
                cuped == null ? null : new CupedEstimate(List.of(name), cuped, cuped.stdError(), 0.4), List.of());
    }

    /** Each result's adjusted p-value, -1 where there is none. */
    private static double[] adjusted(ExperimentResult result) {
        return result.results().stream().mapToDouble(r -> r.decision() == null || r.decision().pValueAdjusted() == null
                ? -1 : r.decision().pValueAdjusted()).toArray();
    }

    @Test
    void decisionsCorrectionAndGuardrails() {
        List<MetricResult> results = new ArrayList<>();
        results.add(metric("revenue", "b", estimate(0.5, 0.3, 0.09), estimate(0.5, 0.2, 0.012)));
        results.add(metric("orders", "b", estimate(0.1, 0.05, 0.045), null));
        results.add(metric("revenue", "c", estimate(0.7, 0.3, 0.02), estimate(0.7, 0.25, 0.006)));
        results.add(metric("latency", "b", estimate(0.1, 0.05, 0.001), null));
        results.add(new MetricResult("refunds", "b", Map.of(), null, null, List.of("no variance")));
        Map<String, Long> subjects = new LinkedHashMap<>();
        subjects.put("control", 1000L);
        subjects.put("b", 1000L);
        subjects.put("c", 500L);
        ExperimentResult raw = new ExperimentResult("e", subjects, Map.of(), 0.5, results, List.of());

        ExperimentResult holm = Readout.read(raw, "control", Set.of("latency"),
                new Experiment.Analysis(null, Experiment.Correction.HOLM, null));
        // The family: 0.012, 0.045, 0.006 (CUPED where there is one); latency is a guardrail, refunds has no estimate.
        // Holm by hand: 0.006·3 = 0.018, 0.012·2 = 0.024, 0.045·1 → 0.045.
        assertThat(adjusted(holm)).containsExactly(new double[] {0.024, 0.045, 0.018, -1, -1}, within(1e-15));
        assertThat(holm.results().get(0).decision().estimate()).isEqualTo(Decision.CUPED);
        assertThat(holm.results().get(1).decision().estimate()).isEqualTo(Decision.UNADJUSTED);
        assertThat(holm.results().get(0).decision().interval()).isEqualTo(Decision.FIXED_HORIZON);
        assertThat(holm.results().get(0).decision().pValue()).isEqualTo(0.012);
        assertThat(holm.results()).extracting(MetricResult::guardrail).containsExactly(false, false, false, true, false);
        assertThat(holm.results().get(3).decision().significant()).isTrue();
        assertThat(holm.results().get(1).decision().significant()).isTrue();
        assertThat(holm.analysis().correction()).isEqualTo(Experiment.Correction.HOLM);

        ExperimentResult bh = Readout.read(raw, "control", Set.of("latency"),
                new Experiment.Analysis(null, Experiment.Correction.BH, null));
        // BH by hand: sorted 0.006·3/1 = 0.018, 0.012·3/2 = 0.018, 0.045·3/3 = 0.045.
        assertThat(adjusted(bh)).containsExactly(new double[] {0.018, 0.045, 0.018, -1, -1}, within(1e-15));

        ExperimentResult none = Readout.read(raw, "control", Set.of(), Experiment.Analysis.DEFAULT);
        assertThat(none.results().get(0).decision().pValueAdjusted()).isNull();
        assertThat(none.results().get(0).bayesian()).isNull();
        assertThat(none.results().get(0).unadjusted().sequential()).isNull();

        // Sequential: each estimate gets its sequence at n = control + its variant; the decision uses it.
        ExperimentResult sequential = Readout.read(raw, "control", Set.of("latency"),
                new Experiment.Analysis(5000.0, Experiment.Correction.BH, Experiment.Bayesian.DEFAULT));
        MetricResult c = sequential.results().get(2);
        double[] expected = expectedSequence(0.7, 0.25, 1500, 5000);
        assertThat(c.cuped().estimate().sequential().ciLow()).isCloseTo(expected[0], within(1e-12));
        assertThat(c.decision().interval()).isEqualTo(Decision.SEQUENTIAL);
        assertThat(c.decision().pValue()).isCloseTo(expected[2], within(1e-12));
        assertThat(c.decision().ciHigh()).isCloseTo(expected[1], within(1e-12));
        double[] unadjusted = expectedSequence(0.7, 0.3, 1500, 5000);
        assertThat(c.unadjusted().sequential().pValue()).isCloseTo(unadjusted[2], within(1e-12));
        double[] b = expectedSequence(0.5, 0.2, 2000, 5000);
        assertThat(sequential.results().get(0).decision().pValue()).isCloseTo(b[2], within(1e-12));
        // The Bayesian read-out starts from the decision's relative lift.
        BayesianReadout bayes = c.bayesian();
        double precision = 1 / 0.09 + 1 / (0.025 * 0.025);
        assertThat(bayes.posteriorMean()).isCloseTo(0.07 / (0.025 * 0.025) / precision, within(1e-12));
        assertThat(bayes.expectedLoss()).containsOnlyKeys("control", "c");
        assertThat(sequential.results().get(4).messages()).containsExactly("no variance");
    }
}
