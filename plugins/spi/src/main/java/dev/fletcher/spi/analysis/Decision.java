package dev.fletcher.spi.analysis;

/**
 * The figures a result's verdict rests on: the CUPED estimate when there is one, else the unadjusted one; its
 * sequential interval and p-value when the analysis is sequential, else the fixed-horizon ones.
 *
 * @param estimate        {@code cuped} or {@code unadjusted}: the block the figures come from
 * @param interval        {@code sequential} or {@code fixed_horizon}
 * @param pValueAdjusted  after the experiment's multiple-testing correction; null without one, and for guardrails
 * @param significant     the (adjusted, where there is one) p-value is below the analysis's alpha
 */
public record Decision(String estimate, String interval, double ciLow, double ciHigh, double pValue,
        Double pValueAdjusted, boolean significant) {
    public static final String CUPED = "cuped";
    public static final String UNADJUSTED = "unadjusted";
    public static final String SEQUENTIAL = "sequential";
    public static final String FIXED_HORIZON = "fixed_horizon";

    public Decision withAdjusted(double adjusted, double alpha) {
        return new Decision(estimate, interval, ciLow, ciHigh, pValue, adjusted, adjusted < alpha);
    }
}
