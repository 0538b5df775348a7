package dev.fletcher.spi.analysis;

import dev.fletcher.spi.PluginConfig;

/**
 * Builds experiment analyses (plugin kind {@code analysis}). Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.fletcher.spi.analysis.AnalysisFactory}) and chosen
 * by {@link #name()}; {@link AnalysisFactories} does the lookup.
 */
public interface AnalysisFactory {
    /** The plugin name users configure, e.g. {@code cuped}. */
    String name();

    ExperimentAnalysis create(PluginConfig config);
}
