package dev.fletcher.analysis.cuped;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.spi.analysis.AnalysisException;
import dev.fletcher.spi.analysis.Estimate;
import dev.fletcher.spi.analysis.PowerRequest;
import dev.fletcher.spi.analysis.SummaryStatistics;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class ComparisonsTest {
    private final CupedAnalysis analysis = new CupedAnalysis(Executors.newSingleThreadExecutor(), true);

    @Test
    void twoProportionSampleSizeFollowsTheContract() {
        // z(0.975) = 1.959964, z(0.8) = 0.841621 from the table; p1 = 0.02, p2 = 0.022.
        double root = 1.959964 * Math.sqrt(2 * 0.02 * 0.98) + 0.841621 * Math.sqrt(0.02 * 0.98 + 0.022 * 0.978);
        double expected = root * root / (0.002 * 0.002);
        long n = analysis.sampleSize(new PowerRequest(0.02, null, null, 0.10, 0.05, 0.8, null));
        assertThat((double) n).isCloseTo(Math.ceil(expected), within(1.0));
        assertThat(n).isBetween(77_000L, 79_000L);
        long reduced = analysis.sampleSize(new PowerRequest(0.02, null, null, 0.10, 0.05, 0.8, 0.5));
        assertThat((double) reduced).isCloseTo(n / 2.0, within(1.0));
        // About 7.7 million at a 1% lift (SCENARIOS.md).
        assertThat(analysis.sampleSize(new PowerRequest(0.02, null, null, 0.01, 0.05, 0.8, null)))
                .isBetween(7_600_000L, 7_800_000L);
    }

    @Test
    void meanSampleSize() {
        // 2 σ² (z_a + z_b)² / δ² with σ = 10, δ = 100 × 0.05 = 5.
        double z = 1.959964 + 0.841621;
        long n = analysis.sampleSize(new PowerRequest(null, 100.0, 10.0, 0.05, 0.05, 0.8, null));
        assertThat((double) n).isCloseTo(Math.ceil(2 * 100 * z * z / 25), within(1.0));
    }

    @Test
    void badPowerRequestsSayWhatToFix() {
        assertThatThrownBy(() -> analysis.sampleSize(new PowerRequest(1.5, null, null, 0.1, 0.05, 0.8, null)))
                .isInstanceOf(AnalysisException.class).hasMessageContaining("baseline_rate");
        assertThatThrownBy(() -> analysis.sampleSize(new PowerRequest(null, null, null, 0.1, 0.05, 0.8, null)))
                .isInstanceOf(AnalysisException.class).hasMessageContaining("baseline_mean");
    }

    @Test
    void welchFromSummaries() {
        // control 1,2,3,4,5 ; treatment 2,4,6,8,10,12
        SummaryStatistics c = new SummaryStatistics(5, 15, 55);
        SummaryStatistics t = new SummaryStatistics(6, 42, 364);
        Estimate e = analysis.compare(c, t);
        double vc = 2.5;
        double vt = 14.0;
        double a = vt / 6;
        double b = vc / 5;
        assertThat(e.estimate()).isCloseTo(4.0, within(1e-12));
        assertThat(e.stdError()).isCloseTo(Math.sqrt(a + b), within(1e-12));
        // Welch–Satterthwaite df = 8.0278 / 1.1514 = 6.972; p for t = 4/1.6583 from the t distribution with that df.
        double df = (a + b) * (a + b) / (a * a / 5 + b * b / 4);
        assertThat(df).isCloseTo(6.9723, within(1e-3));
        assertThat(e.relative().estimate()).isCloseTo(4.0 / 3.0, within(1e-12));
        // The relative interval takes the same t quantile (df 6.9723: 2.366533, scipy.stats.t.ppf) as the absolute
        // one, around the delta method's standard error sqrt(a / 3² + 7² b / 3⁴); figures from scipy.
        assertThat(e.relative().ciLow()).isCloseTo(-0.44034868019297435, within(1e-9));
        assertThat(e.relative().ciHigh()).isCloseTo(3.107015346859641, within(1e-9));
        assertThat(e.ciHigh() - e.estimate()).isCloseTo(2.3665330449008306 * Math.sqrt(a + b), within(1e-9));
        assertThat(e.pValue()).isBetween(0.04, 0.06);
        assertThat((e.ciHigh() - e.estimate()) / e.stdError()).isBetween(2.3646, 2.4469); // between df 7 and 6
    }
}
