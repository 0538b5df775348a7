package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.analysis.AnalysisFactory;
import dev.fletcher.spi.analysis.ExperimentAnalysis;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code cuped} analysis plugin. Properties: {@code parallelism} (default 4), how many statistics statements
 * run at once when a wide X'X is split across several; {@code staging} (default true), whether the per-subject
 * values are kept in a warehouse table for the length of an analysis, so that its passes read them instead of
 * computing them again (false for a warehouse where the analysis may not create tables).
 */
public final class CupedAnalysisFactory implements AnalysisFactory {
    @Override
    public String name() {
        return "cuped";
    }

    /** The one analysis there is; it runs on any warehouse. */
    @Override
    public boolean isDefault() {
        return true;
    }

    @Override
    public ExperimentAnalysis create(PluginConfig config) {
        int parallelism = config.getInt("parallelism", 4);
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(Math.max(2, parallelism), runnable -> {
            Thread thread = new Thread(runnable, "fletcher-analysis-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        return new CupedAnalysis(executor, config.getBoolean("staging", true));
    }
}
