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
 */
public record AnalysisOptions(Boolean cuped, List<String> covariates, Double ridge, Experiment.Analysis analysis) {
    public static final AnalysisOptions DEFAULT = new AnalysisOptions(null, null, null, null);

    public AnalysisOptions(Boolean cuped, List<String> covariates, Double ridge) {
        this(cuped, covariates, ridge, null);
    }

    public AnalysisOptions {
        covariates = covariates == null ? null : List.copyOf(covariates);
        if (ridge != null && !(ridge >= 0 && Double.isFinite(ridge))) {
            throw new AnalysisException("cuped.ridge must be a finite number of at least 0, got " + ridge);
        }
        if (covariates != null && covariates.isEmpty()) {
            throw new AnalysisException("cuped.covariates is empty: name at least one metric, or send {\"cuped\": false}");
        }
    }

    public double ridgeOrZero() {
        return ridge == null ? 0 : ridge;
    }
}
