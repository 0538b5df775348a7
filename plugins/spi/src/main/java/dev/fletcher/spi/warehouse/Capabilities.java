package dev.fletcher.spi.warehouse;

/**
 * What a warehouse can do; shared code asks these yes/no questions instead of naming warehouses.
 *
 * @param asofJoin          has {@code ASOF JOIN}
 * @param approxPercentile  has an approximate percentile aggregate
 * @param qualify           has {@code QUALIFY}
 * @param maxResultColumns  the most columns one result may have
 * @param maxQueryTextBytes the longest query text it accepts, in UTF-8 bytes
 */
public record Capabilities(
        boolean asofJoin, boolean approxPercentile, boolean qualify, int maxResultColumns, int maxQueryTextBytes) {

    public Capabilities withLimits(int maxResultColumns, int maxQueryTextBytes) {
        return new Capabilities(asofJoin, approxPercentile, qualify, maxResultColumns, maxQueryTextBytes);
    }
}
