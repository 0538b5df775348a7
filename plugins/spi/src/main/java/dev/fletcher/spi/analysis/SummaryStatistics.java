package dev.fletcher.spi.analysis;

/** A group's count, sum and sum of squares of one metric. */
public record SummaryStatistics(long n, double sum, double sumSquares) {
    public double mean() {
        return sum / n;
    }

    /** The sample variance (n - 1 in the denominator), never below 0. */
    public double variance() {
        return Math.max(0, (sumSquares - sum * sum / n) / (n - 1));
    }
}
