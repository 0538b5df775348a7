package dev.fletcher.spi.analysis;

/**
 * Analyses experiments from sufficient statistics the warehouse computes: no subject-level row leaves it.
 * Thread safe. Bad requests (unknown experiment, unsupported metric, bad options) throw
 * {@link AnalysisException}; statistical dead ends (an empty variant, a metric without variance, collinear
 * covariates) are messages in the result, never exceptions.
 */
public interface ExperimentAnalysis extends AutoCloseable {
    ExperimentResult analyze(AnalysisRequest request);

    /** The unadjusted comparison for summary statistics computed elsewhere. */
    Estimate compare(SummaryStatistics control, SummaryStatistics treatment);

    /**
     * The unadjusted comparison, with the always-valid interval and p-value when {@code sequentialTuning} (N*) is
     * given.
     */
    default Estimate compare(SummaryStatistics control, SummaryStatistics treatment, Double sequentialTuning) {
        if (sequentialTuning != null) {
            throw new dev.fletcher.spi.NotSupportedException(dev.fletcher.spi.PluginKind.ANALYSIS,
                    getClass().getSimpleName(), "sequential testing");
        }
        return compare(control, treatment);
    }

    /** Subjects needed per variant. */
    long sampleSize(PowerRequest request);

    @Override
    default void close() {
    }
}
