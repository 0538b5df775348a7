package dev.fletcher.analysis.cuped;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sample ratio test: Pearson's χ² of the subjects per variant against the planned split.
 *
 * @param pValue  null when there is nothing to test: fewer than two variants, no subjects, or variants the split
 *                does not plan
 * @param warning what a reader must know before trusting the result, or null
 */
record SampleRatioCheck(Double pValue, String warning) {
    /** A p-value this small is called a mismatch. */
    static final double THRESHOLD = 0.001;

    /**
     * @param subjects subjects per variant, in the order the warning lists them
     * @param split    planned weight per variant (they need not add up to 1); empty for equal shares
     */
    static SampleRatioCheck of(Map<String, Long> subjects, Map<String, Double> split) {
        long total = subjects.values().stream().mapToLong(Long::longValue).sum();
        if (subjects.size() < 2 || total == 0) {
            return new SampleRatioCheck(null, null);
        }
        if (!split.isEmpty()) {
            List<String> unplanned = subjects.keySet().stream().filter(v -> !split.containsKey(v)).toList();
            if (!unplanned.isEmpty()) {
                return new SampleRatioCheck(null, "variants " + unplanned + " are not in the experiment's split "
                        + split.keySet() + ": the sample ratio test is skipped; check the assignments");
            }
        }
        double weights = subjects.keySet().stream().mapToDouble(v -> split.isEmpty() ? 1 : split.get(v)).sum();
        double chi2 = 0;
        for (var entry : subjects.entrySet()) {
            double expected = total * (split.isEmpty() ? 1 : split.get(entry.getKey())) / weights;
            double diff = entry.getValue() - expected;
            chi2 += diff * diff / expected;
        }
        double p = Distributions.chiSquaredUpper(chi2, subjects.size() - 1);
        String warning = p < THRESHOLD ? String.format(Locale.ROOT, "sample ratio mismatch: the subject counts %s"
                + " are unlikely under the planned split (χ² p = %.3g < %s); check assignment and logging before"
                + " trusting the results", subjects, p, THRESHOLD) : null;
        return new SampleRatioCheck(p, warning);
    }
}
