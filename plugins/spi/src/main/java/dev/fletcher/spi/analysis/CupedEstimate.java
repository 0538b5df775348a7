package dev.fletcher.spi.analysis;

import java.util.List;

/**
 * The treatment coefficient of y ~ 1 + treatment + covariates.
 *
 * @param estimate          its classical OLS standard error, CI and p-value (t with n - p degrees of freedom)
 * @param stdErrorHc1       the HC1 heteroskedasticity-robust standard error
 * @param varianceReduction 1 - (SE / SE of y ~ 1 + treatment)^2
 */
public record CupedEstimate(List<String> covariates, Estimate estimate, double stdErrorHc1,
        double varianceReduction) {
    public CupedEstimate {
        covariates = List.copyOf(covariates);
    }

    public CupedEstimate withEstimate(Estimate estimate) {
        return new CupedEstimate(covariates, estimate, stdErrorHc1, varianceReduction);
    }
}
