package dev.fletcher.warehouse.spark;

import dev.fletcher.conformance.warehouse.WarehouseConformanceTest;
import dev.fletcher.spi.warehouse.Warehouse;

import java.nio.file.Path;

/** The warehouse suite on the shared Spark Connect server; tables carry a per-run suffix and are dropped after. */
class SparkConformanceTest extends WarehouseConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return SparkConnectFixture.warehouse("conformance", dataDir);
    }

    @Override
    protected String pluginName() {
        return "spark";
    }

    @Override
    protected String stringType() {
        return "STRING";
    }

    @Override
    protected String integers(String last, String column) {
        return "range(1, (" + last + ") + 1) AS t(" + column + ")";
    }

    @Override
    protected String naiveTimestampType() {
        return "TIMESTAMP_NTZ";
    }

    /** Spark's TIMESTAMP is an instant, shown in the session's zone. */
    @Override
    protected String zonedTimestampType() {
        return "TIMESTAMP";
    }

    @Override
    protected String missingTableWords() {
        return "cannot be found";
    }

    /** Spark's own tables (Parquet) take INSERT but neither UPDATE nor DELETE, and report no counts. */
    @Override
    protected boolean rowUpdates() {
        return false;
    }

    @Override
    protected boolean countsInsertedRows() {
        return false;
    }
}
