package dev.fletcher.analysis.cuped;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Against printed tables (Student t and χ² critical values, standard normal quantiles). */
class DistributionsTest {
    @Test
    void studentTQuantilesMatchTheTable() {
        assertThat(Distributions.tQuantile(0.975, 1)).isCloseTo(12.7062, within(1e-4));
        assertThat(Distributions.tQuantile(0.975, 10)).isCloseTo(2.2281, within(1e-4));
        assertThat(Distributions.tQuantile(0.95, 5)).isCloseTo(2.0150, within(1e-4));
        assertThat(Distributions.tQuantile(0.975, 30)).isCloseTo(2.0423, within(1e-4));
        assertThat(Distributions.tQuantile(0.995, 20)).isCloseTo(2.8453, within(1e-4));
        assertThat(Distributions.tQuantile(0.025, 10)).isCloseTo(-2.2281, within(1e-4));
    }

    @Test
    void twoSidedPValuesInvertTheTable() {
        assertThat(Distributions.tTwoSided(2.228139, 10)).isCloseTo(0.05, within(1e-6));
        assertThat(Distributions.tTwoSided(3.169273, 10)).isCloseTo(0.01, within(1e-6));
        assertThat(Distributions.tTwoSided(0, 7)).isCloseTo(1.0, within(1e-12));
        // t with one degree of freedom is Cauchy: P(|T| > 1) = 1/2.
        assertThat(Distributions.tTwoSided(1, 1)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void chiSquaredTailsMatchTheTable() {
        assertThat(Distributions.chiSquaredUpper(3.841459, 1)).isCloseTo(0.05, within(1e-6));
        assertThat(Distributions.chiSquaredUpper(5.991465, 2)).isCloseTo(0.05, within(1e-6));
        assertThat(Distributions.chiSquaredUpper(18.307038, 10)).isCloseTo(0.05, within(1e-6));
        assertThat(Distributions.chiSquaredUpper(6.634897, 1)).isCloseTo(0.01, within(1e-6));
        // With two degrees of freedom the tail is exp(-x/2).
        assertThat(Distributions.chiSquaredUpper(4, 2)).isCloseTo(Math.exp(-2), within(1e-13));
    }

    @Test
    void normalQuantilesMatchTheTable() {
        assertThat(Distributions.normalQuantile(0.975)).isCloseTo(1.959964, within(1e-6));
        assertThat(Distributions.normalQuantile(0.8)).isCloseTo(0.841621, within(1e-6));
        assertThat(Distributions.normalCdf(-1)).isCloseTo(0.158655, within(1e-6));
    }
}
