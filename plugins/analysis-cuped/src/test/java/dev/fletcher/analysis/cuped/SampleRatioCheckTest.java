package dev.fletcher.analysis.cuped;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** χ² statistics worked by hand; the tails in closed form (one degree: erfc(√(χ²/2)), two: exp(-χ²/2)). */
class SampleRatioCheckTest {
    @Test
    void equalSharesWithoutAPlannedSplit() {
        // Expected 50 and 50: χ² = (10² + 10²) / 50 = 4.
        SampleRatioCheck check = SampleRatioCheck.of(counts("control", 60L, "treatment", 40L), Map.of());
        assertThat(check.pValue()).isCloseTo(0.045500263896358396, within(1e-12));
        assertThat(check.warning()).isNull();
    }

    @Test
    void plannedWeightsNeedNotAddUpToOne() {
        // Weights 1, 1, 2 of 100 subjects: expected 25, 25, 50, so χ² = 25/25 + 25/25 + 0 = 2 with two degrees.
        SampleRatioCheck three = SampleRatioCheck.of(counts("control", 30L, "treatment", 20L, "bigger_button", 50L),
                Map.of("control", 1.0, "treatment", 1.0, "bigger_button", 2.0));
        assertThat(three.pValue()).isCloseTo(Math.exp(-1), within(1e-12));
        // Weights 3 and 1: expected 75 and 25, so χ² = 25/75 + 25/25 = 4/3.
        SampleRatioCheck uneven = SampleRatioCheck.of(counts("control", 70L, "treatment", 30L),
                Map.of("control", 3.0, "treatment", 1.0));
        assertThat(uneven.pValue()).isCloseTo(0.24821307898992362, within(1e-12));
        // The same counts against equal shares are far less likely: the split is really used.
        assertThat(SampleRatioCheck.of(counts("control", 70L, "treatment", 30L), Map.of()).pValue())
                .isLessThan(1e-4);
    }

    @Test
    void aPlannedVariantWithoutSubjectsCountsAsZero() {
        // Expected 20/3 each: χ² = 2 (10/3)² / (20/3) + (20/3)² / (20/3) = 10/3 + 20/3 = 10, so p = exp(-5).
        SampleRatioCheck check = SampleRatioCheck.of(counts("control", 10L, "treatment", 10L, "bigger_button", 0L),
                Map.of("control", 1.0, "treatment", 1.0, "bigger_button", 1.0));
        assertThat(check.pValue()).isCloseTo(Math.exp(-5), within(1e-14));
        assertThat(check.warning()).isNull();
    }

    @Test
    void aMismatchIsAWarningThatSaysWhatToCheck() {
        // Expected 900 each: χ² = 2 · 100² / 900 = 200/9.
        SampleRatioCheck check = SampleRatioCheck.of(counts("control", 1000L, "treatment", 800L), Map.of());
        assertThat(check.pValue()).isCloseTo(2.4284674729758403e-06, within(1e-17));
        assertThat(check.warning()).isEqualTo("sample ratio mismatch: the subject counts {control=1000, treatment=800}"
                + " are unlikely under the planned split (χ² p = 2.43e-06 < 0.001); check assignment and logging"
                + " before trusting the results");
    }

    @Test
    void theThresholdSitsAtTheTablesCriticalValue() {
        // 10.8276 is χ²'s 0.001 critical value with one degree of freedom; 1000 ± d gives χ² = 2 d² / 1000.
        SampleRatioCheck below = SampleRatioCheck.of(counts("control", 1073L, "treatment", 927L), Map.of());
        assertThat(below.pValue()).isBetween(0.001, 0.0011);
        assertThat(below.warning()).isNull();
        SampleRatioCheck above = SampleRatioCheck.of(counts("control", 1074L, "treatment", 926L), Map.of());
        assertThat(above.pValue()).isBetween(0.0009, 0.001);
        assertThat(above.warning()).contains("χ² p = 0.000935 < 0.001");
    }

    @Test
    void variantsOutsideThePlannedSplitSkipTheTest() {
        Map<String, Double> split = new LinkedHashMap<>();
        split.put("control", 1.0);
        split.put("treatment", 1.0);
        SampleRatioCheck check = SampleRatioCheck.of(counts("control", 5L, "treatment", 5L, "other", 1L), split);
        assertThat(check.pValue()).isNull();
        assertThat(check.warning()).isEqualTo("variants [other] are not in the experiment's split [control, treatment]:"
                + " the sample ratio test is skipped; check the assignments");
    }

    @Test
    void nothingToTestWithOneVariantOrNoSubjects() {
        assertThat(SampleRatioCheck.of(counts("control", 10L), Map.of())).isEqualTo(new SampleRatioCheck(null, null));
        assertThat(SampleRatioCheck.of(counts("control", 0L, "treatment", 0L), Map.of()))
                .isEqualTo(new SampleRatioCheck(null, null));
    }

    /** Subjects per variant in the order given, as the analysis lists them. */
    private static Map<String, Long> counts(Object... pairs) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            counts.put((String) pairs[i], (Long) pairs[i + 1]);
        }
        return counts;
    }
}
