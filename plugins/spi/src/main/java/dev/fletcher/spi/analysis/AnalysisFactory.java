package dev.fletcher.spi.analysis;

import dev.fletcher.spi.PluginFactory;

/**
 * Builds experiment analyses (plugin kind {@link dev.fletcher.spi.PluginKind#ANALYSIS}), registered under
 * {@code META-INF/services/dev.fletcher.spi.analysis.AnalysisFactory} and chosen through
 * {@code fletcher.analysis.plugin}.
 */
public interface AnalysisFactory extends PluginFactory<ExperimentAnalysis> {
}
