package dev.fletcher.warehouse.snowflake;

import dev.fletcher.conformance.engine.MetricConformanceTest;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared suite on a Snowflake account (database and schema the user may create tables in); skipped unless SnowflakeAccount's variables are set. */
@ExtendWith(SnowflakeAccount.class)
class SnowflakeMetricTest extends MetricConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return SnowflakeAccount.warehouse(dataDir);
    }
}
