package dev.fletcher.server.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentAnalysesTest {
    @Test
    void theAnalysisPluginGetsItsOwnPropertiesWithoutThePrefix() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(
                "fletcher.analysis.plugin", "cuped",
                "fletcher.analysis.staging", "false",
                "fletcher.analysis.parallelism", "2",
                "fletcher.analyses.other", "x",
                "fletcher.data-dir", "/tmp"), "test", 100)).build();
        assertThat(ExperimentAnalyses.pluginProperties(config))
                .isEqualTo(Map.of("parallelism", "2", "staging", "false"));
    }
}
