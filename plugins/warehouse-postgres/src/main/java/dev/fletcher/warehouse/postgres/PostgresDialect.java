package dev.fletcher.warehouse.postgres;

import dev.fletcher.spi.warehouse.Capabilities;
import dev.fletcher.spi.warehouse.Dialect;

/** PostgreSQL speaks the base dialect; only its capabilities and its intermediate tables are its own. */
public final class PostgresDialect extends Dialect {
    /**
     * No ASOF JOIN, QUALIFY or approximate percentile (percentile_cont is exact). A target list holds at most 1664
     * entries; a protocol message at most 1 GiB, less room for the rest of the message; Bind counts parameters in
     * 16 bits.
     */
    static final Capabilities CAPABILITIES =
            new Capabilities(false, false, false, 1664, (1 << 30) - (1 << 20), 65_535);

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    /** Unlogged: an intermediate result needs no crash safety, and skipping the write-ahead log halves its cost. */
    @Override
    public String createTableAs(String table, String query) {
        return "CREATE UNLOGGED TABLE " + tableName(table) + " AS\n" + query;
    }
}
