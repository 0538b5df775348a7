package dev.fletcher.analysis.cuped;

import dev.fletcher.catalog.model.Experiment;
import dev.fletcher.spi.analysis.AnalysisException;
import dev.fletcher.spi.analysis.BayesianReadout;
import dev.fletcher.spi.analysis.CupedEstimate;
import dev.fletcher.spi.analysis.Decision;
import dev.fletcher.spi.analysis.Estimate;
import dev.fletcher.spi.analysis.ExperimentResult;
import dev.fletcher.spi.analysis.MetricResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the estimates of an analysis as the experiment asks: sequential intervals beside the fixed-horizon ones, the
 * decision each result rests on, the multiple-testing correction across metrics × variants (guardrails left out)
 * and the Bayesian read-out. It needs only the estimates and the subject counts, so it applies alike to any result
 * built from the warehouse's sums.
 */
final class Readout {
    static final double ALPHA = 1 - Comparisons.LEVEL;

    private Readout() {}

    static void checkTuning(double tuning) {
        // Below one subject ρ grows so large that nρ² overflows.
        if (!(tuning >= 1 && Double.isFinite(tuning))) {
            throw new AnalysisException("sequential_tuning (N*, the number of subjects the sequential interval is tuned"
                    + " for) must be a positive number of subjects, at least 1, e.g. 5000; got " + tuning);
        }
    }

    /** {@code e} with its always-valid interval and p-value at n subjects. */
    static Estimate sequential(Estimate e, long n, double tuning) {
        checkTuning(tuning);
        return e.withSequential(ConfidenceSequence.of(e, n, ALPHA, tuning));
    }

    static ExperimentResult read(ExperimentResult raw, String control, Set<String> guardrails,
            Experiment.Analysis analysis) {
        List<MetricResult> read = new ArrayList<>();
        for (MetricResult r : raw.results()) {
            long n = raw.subjects().getOrDefault(control, 0L) + raw.subjects().getOrDefault(r.variant(), 0L);
            Estimate unadjusted = r.unadjusted();
            CupedEstimate cuped = r.cuped();
            if (analysis.sequential()) {
                unadjusted = unadjusted == null ? null : sequential(unadjusted, n, analysis.sequentialTuning());
                cuped = cuped == null ? null
                        : cuped.withEstimate(sequential(cuped.estimate(), n, analysis.sequentialTuning()));
            }
            String from = cuped != null ? Decision.CUPED : Decision.UNADJUSTED;
            Estimate chosen = cuped != null ? cuped.estimate() : unadjusted;
            Decision decision = chosen == null ? null : decision(from, chosen);
            List<String> messages = new ArrayList<>(r.messages());
            BayesianReadout bayesian = null;
            if (analysis.bayesian() != null && chosen != null) {
                Estimate.Interval lift = chosen.relative();
                if (lift == null || !(lift.stdError() > 0 && Double.isFinite(lift.stdError()))) {
                    messages.add("no Bayesian read-out of '" + r.metric() + "': it is of the relative lift, and the"
                            + (r.quantile() != null ? " control's quantile" : " control mean") + " is 0");
                } else {
                    bayesian = BayesianLift.posterior(from, lift.estimate(), lift.stdError(), analysis.bayesian(),
                            control, r.variant());
                }
            }
            // A quantile result knows whether it is a guardrail; a metric's name alone would mix it with its mean.
            boolean guardrail = r.quantile() != null ? r.guardrail() : guardrails.contains(r.metric());
            read.add(new MetricResult(r.metric(), r.variant(), r.means(), unadjusted, cuped, messages,
                    guardrail, decision, bayesian, r.quantile()));
        }
        if (analysis.correction() != Experiment.Correction.NONE) {
            correct(read, analysis.correction());
        }
        return new ExperimentResult(raw.experiment(), raw.subjects(), raw.excluded(), raw.srmPValue(), read,
                raw.warnings(), analysis, ALPHA);
    }

    private static Decision decision(String from, Estimate e) {
        Estimate.Sequential s = e.sequential();
        if (s != null) {
            return new Decision(from, Decision.SEQUENTIAL, s.ciLow(), s.ciHigh(), s.pValue(), null, s.pValue() < ALPHA);
        }
        return new Decision(from, Decision.FIXED_HORIZON, e.ciLow(), e.ciHigh(), e.pValue(), null, e.pValue() < ALPHA);
    }

    /** Adjusts the decisions' p-values over every result that has one, guardrails apart. */
    private static void correct(List<MetricResult> results, Experiment.Correction correction) {
        List<Integer> family = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            MetricResult r = results.get(i);
            if (!r.guardrail() && r.decision() != null) {
                family.add(i);
            }
        }
        double[] p = family.stream().mapToDouble(i -> results.get(i).decision().pValue()).toArray();
        double[] adjusted = correction == Experiment.Correction.HOLM ? Corrections.holm(p)
                : Corrections.benjaminiHochberg(p);
        for (int f = 0; f < family.size(); f++) {
            MetricResult r = results.get(family.get(f));
            results.set(family.get(f), new MetricResult(r.metric(), r.variant(), r.means(), r.unadjusted(), r.cuped(),
                    r.messages(), r.guardrail(), r.decision().withAdjusted(adjusted[f], ALPHA), r.bayesian(),
                    r.quantile()));
        }
    }
}
