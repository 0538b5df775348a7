package dev.fletcher.warehouse.redshift;

import dev.fletcher.conformance.engine.TrainingSetConformanceTest;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared suite on a Redshift cluster or serverless workgroup (a database the user may create tables in); skipped unless RedshiftAccount's variables are set. */
@ExtendWith(RedshiftAccount.class)
class RedshiftTrainingSetTest extends TrainingSetConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return RedshiftAccount.warehouse(dataDir);
    }
}
