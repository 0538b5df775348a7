package dev.fletcher.spi.warehouse;

/**
 * What a warehouse can do; shared code asks these yes/no questions instead of naming warehouses.
 *
 * @param asofJoin          has {@code ASOF JOIN}
 * @param approxPercentile  has an approximate percentile aggregate ({@link Dialect#approxPercentile})
 * @param qualify           has {@code QUALIFY}
 * @param maxResultColumns  the most columns one result may have
 * @param maxQueryTextBytes the longest query text it accepts, in UTF-8 bytes
 * @param maxBindParameters the most {@code ?} parameters one statement may carry
 * @param exactPercentile   has an exact percentile aggregate ({@link Dialect#percentile})
 */
public record Capabilities(
        boolean asofJoin,
        boolean approxPercentile,
        boolean qualify,
        int maxResultColumns,
        int maxQueryTextBytes,
        int maxBindParameters,
        boolean exactPercentile) {

    public Capabilities {
        if (maxResultColumns < 1 || maxQueryTextBytes < 1 || maxBindParameters < 0) {
            throw new IllegalArgumentException("capability limits must be positive: columns " + maxResultColumns
                    + ", query text " + maxQueryTextBytes + ", parameters " + maxBindParameters);
        }
    }

    /** With the exact percentile aggregate. */
    public Capabilities(boolean asofJoin, boolean approxPercentile, boolean qualify, int maxResultColumns,
            int maxQueryTextBytes, int maxBindParameters) {
        this(asofJoin, approxPercentile, qualify, maxResultColumns, maxQueryTextBytes, maxBindParameters, true);
    }

    /** Without a declared parameter limit: as many as the query text can hold. */
    public Capabilities(
            boolean asofJoin, boolean approxPercentile, boolean qualify, int maxResultColumns, int maxQueryTextBytes) {
        this(asofJoin, approxPercentile, qualify, maxResultColumns, maxQueryTextBytes, Integer.MAX_VALUE);
    }

    public Capabilities withLimits(int maxResultColumns, int maxQueryTextBytes) {
        return new Capabilities(asofJoin, approxPercentile, qualify, maxResultColumns, maxQueryTextBytes,
                maxBindParameters, exactPercentile);
    }
}
