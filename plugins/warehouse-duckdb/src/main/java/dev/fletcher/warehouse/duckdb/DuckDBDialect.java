package dev.fletcher.warehouse.duckdb;

import dev.fletcher.spi.warehouse.Capabilities;
import dev.fletcher.spi.warehouse.Dialect;

/** DuckDB's spelling where it differs from the base dialect. */
public final class DuckDBDialect extends Dialect {
    /**
     * DuckDB documents no limit on columns, parameters or query text; the columns are what the conformance suite
     * runs, and query text is bounded by the byte array that carries it into the engine.
     */
    static final Capabilities CAPABILITIES =
            new Capabilities(true, true, true, 10_000, Integer.MAX_VALUE - 8, 65_535);

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    /** An in-memory database every session of the warehouse sees (sessions share one DuckDB instance). */
    static final String SCRATCH = "fletcher_scratch";

    /**
     * In the in-memory scratch database: a table in the file would be written to disk for nothing, and a temporary
     * one is seen by its own session only.
     */
    @Override
    public String scratchTable(String name) {
        return SCRATCH + "." + name;
    }

    /** DuckDB's {@code /} always gives a fraction ({@code //} truncates). */
    @Override
    public boolean integerDivisionTruncates() {
        return false;
    }

    @Override
    public String doubleType() {
        return "DOUBLE";
    }

    @Override
    public String epochSeconds(String timestampExpression) {
        return "epoch(" + timestampExpression + ")";
    }

    /** Cast, because approx_quantile answers in its input's type while percentile_cont answers a double. */
    @Override
    public String approxPercentile(String expression, double fraction) {
        return castToDouble("approx_quantile(" + expression + ", " + fraction(fraction) + ")");
    }
}
