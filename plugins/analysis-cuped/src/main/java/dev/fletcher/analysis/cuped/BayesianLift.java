package dev.fletcher.analysis.cuped;

import dev.fletcher.catalog.model.Experiment;
import dev.fletcher.spi.analysis.BayesianReadout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Bayesian read-out of a relative lift: its estimate L̂ with standard error SE (delta method) taken as a normal
 * likelihood, combined with a normal prior N(μ₀, σ₀²) by the conjugate update, precision-weighted:
 * 1/σ² = 1/σ₀² + 1/SE², μ = σ²·(μ₀/σ₀² + L̂/SE²) (Gelman et al., Bayesian Data Analysis, 3rd ed., §2.5). A flat prior
 * leaves N(L̂, SE²). For X ~ N(μ, σ²): P(X > 0) = Φ(μ/σ); the loss of shipping the treatment
 * E[max(0, −X)] = σφ(μ/σ) − μΦ(−μ/σ), of keeping the control E[max(0, X)] = σφ(μ/σ) + μΦ(μ/σ).
 */
final class BayesianLift {
    private BayesianLift() {}

    static BayesianReadout posterior(String from, double lift, double se, Experiment.Bayesian prior, String control,
            String variant) {
        double mean = lift;
        double sd = se;
        if (prior.proper()) {
            double precision = 1 / (prior.priorSd() * prior.priorSd()) + 1 / (se * se);
            mean = (prior.priorMean() / (prior.priorSd() * prior.priorSd()) + lift / (se * se)) / precision;
            sd = Math.sqrt(1 / precision);
        }
        double z = Comparisons.normalQuantile();
        double ratio = mean / sd;
        double density = Math.exp(-ratio * ratio / 2) / Math.sqrt(2 * Math.PI);
        Map<String, Double> loss = new LinkedHashMap<>();
        loss.put(control, sd * density + mean * Distributions.normalCdf(ratio));
        loss.put(variant, sd * density - mean * Distributions.normalCdf(-ratio));
        return new BayesianReadout(from, prior.priorMean(), prior.priorSd(), mean, sd, mean - z * sd, mean + z * sd,
                Distributions.normalCdf(ratio), loss);
    }
}
