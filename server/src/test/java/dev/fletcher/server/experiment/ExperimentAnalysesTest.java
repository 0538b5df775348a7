package dev.fletcher.server.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.server.config.Configs;
import dev.fletcher.server.plugin.PluginInstances;
import dev.fletcher.server.plugin.RecordingReadiness;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentAnalysesTest {
    static PluginInstances plugins(Map<String, String> properties) {
        return new PluginInstances(Configs.fletcher(properties), new RecordingReadiness());
    }

    @Test
    void theAnalysisPluginGetsItsOwnPropertiesWithoutThePrefix() {
        PluginInstances plugins = plugins(Map.of(
                "fletcher.analysis.plugin", "cuped",
                "fletcher.analysis.staging", "false",
                "fletcher.analysis.parallelism", "2",
                "fletcher.analyses.other", "x",
                "fletcher.data-dir", "/tmp"));
        assertThat(plugins.properties(PluginInstances.ANALYSES, "cuped"))
                .isEqualTo(Map.of("parallelism", "2", "staging", "false"));
    }

    @Test
    void theInstanceKeysWinOverTheOlderOnesRightUnderTheKind() {
        PluginInstances plugins = plugins(Map.of("fletcher.analysis.staging", "false",
                "fletcher.analysis.parallelism", "2", "fletcher.analysis.cuped.parallelism", "8",
                "fletcher.analysis.other.parallelism", "16"));
        assertThat(plugins.properties(PluginInstances.ANALYSES, "cuped"))
                .isEqualTo(Map.of("parallelism", "8", "staging", "false"));
        assertThat(plugins.chosen(PluginInstances.ANALYSES)).isNotNull();
        plugins.stop(null);
    }
}
