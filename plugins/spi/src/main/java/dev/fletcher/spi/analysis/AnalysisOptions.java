package dev.fletcher.spi.analysis;

import dev.fletcher.catalog.model.Experiment;
import java.util.List;

/**
 * How to adjust.
 *
 * @param cuped      false turns CUPED off; null or true follows the experiment's definition
 * @param covariates metrics whose pre-period values adjust every metric; null: each metric's own pre-period value
 * @param ridge      a ridge penalty on the covariate coefficients (0 or null for plain OLS)
 * @param analysis   how to read the estimates for this request; null follows the experiment's definition
 * @param by         {@link #BY_DAY} for the cumulative result at the end of each day besides the whole one; else null
 * @param slice      a column of the assignment source or a feature {@code <view>__<feature>} of the experiment's
 *                   entity, to break the result down by its value at each subject's first assignment; else null
 */
public record AnalysisOptions(Boolean cuped, List<String> covariates, Double ridge, Experiment.Analysis analysis,
        String by, String slice) {
    public static final AnalysisOptions DEFAULT = new AnalysisOptions(null, null, null, null);
    public static final String BY_DAY = "day";

    public AnalysisOptions(Boolean cuped, List<String> covariates, Double ridge, Experiment.Analysis analysis) {
        this(cuped, covariates, ridge, analysis, null, null);
    }

    public AnalysisOptions(Boolean cuped, List<String> covariates, Double ridge) {
        this(cuped, covariates, ridge, null);
    }

    public AnalysisOptions {
        covariates = covariates == null ? null : List.copyOf(covariates);
        if (ridge != null && !(ridge >= 0 && Double.isFinite(ridge))) {
            throw new AnalysisException("cuped.ridge must be a finite number of at least 0, got " + ridge);
        }
        if (by != null && !BY_DAY.equals(by)) {
            throw new AnalysisException("by must be '" + BY_DAY + "' (the cumulative result at the end of each day),"
                    + " got '" + by + "'");
        }
        if (slice != null && slice.isBlank()) {
            throw new AnalysisException("slice is empty: name a column of the assignment source or a feature"
                    + " <feature_view>__<feature>");
        }
        if (by != null && slice != null) {
            throw new AnalysisException("by=day and slice cannot be combined: ask for one breakdown at a time");
        }
        if (covariates != null && covariates.isEmpty()) {
            throw new AnalysisException("cuped.covariates is empty: name at least one metric, or send {\"cuped\": false}");
        }
    }

    /** These options with a breakdown by day or by a slice. */
    public AnalysisOptions withBreakdown(String by, String slice) {
        return new AnalysisOptions(cuped, covariates, ridge, analysis, by, slice);
    }

    public double ridgeOrZero() {
        return ridge == null ? 0 : ridge;
    }
}
