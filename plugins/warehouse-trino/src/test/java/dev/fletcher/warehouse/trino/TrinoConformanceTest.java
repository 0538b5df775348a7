package dev.fletcher.warehouse.trino;

import dev.fletcher.conformance.warehouse.WarehouseConformanceTest;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;

/** The warehouse suite on the shared Trino test server, schema memory.fletcher. */
class TrinoConformanceTest extends WarehouseConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return TrinoTestServer.shared().warehouse("conformance", dataDir);
    }

    @Override
    protected String pluginName() {
        return "trino";
    }

    /** Trino's sequence() holds at most 10,000 values; the sequence table function has no such limit. */
    @Override
    protected String integers(String last, String column) {
        return "(SELECT sequential_number AS " + column + " FROM TABLE(sequence(start => 1, stop => " + last
                + "))) AS t";
    }

    @Override
    protected String zonedTimestampType() {
        return "TIMESTAMP(6) WITH TIME ZONE";
    }

    /** A cast alone keeps the wall time of the value's own zone. */
    @Override
    protected String zonedAsUtc(String expression) {
        return "CAST(" + expression + " AT TIME ZONE 'UTC' AS TIMESTAMP(6))";
    }

    /** The memory connector only inserts. */
    @Override
    protected boolean rowUpdates() {
        return false;
    }
}
