package dev.fletcher.warehouse.bigquery;

import dev.fletcher.conformance.engine.MetricConformanceTest;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared suite on a BigQuery project (a dataset the credentials may create tables in); skipped unless BigQueryAccount's variables are set. */
@ExtendWith(BigQueryAccount.class)
class BigQueryMetricTest extends MetricConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return BigQueryAccount.warehouse(dataDir);
    }
}
