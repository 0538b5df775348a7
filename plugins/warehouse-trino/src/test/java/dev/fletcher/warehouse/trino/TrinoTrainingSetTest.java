package dev.fletcher.warehouse.trino;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.conformance.engine.TrainingSetConformanceTest;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterAll;

/**
 * The suite on the shared Trino test server; tables carry a per-run suffix and are dropped afterwards. Trino
 * stages each training set's numbered entity rows in a scratch table: none may outlive its training set.
 */
class TrinoTrainingSetTest extends TrainingSetConformanceTest {
    @Override
    protected Warehouse createWarehouse(Path dataDir) {
        return TrinoTestServer.shared().warehouse("conformance", dataDir);
    }

    @AfterAll
    void everyStagedEntityTableIsDropped() throws IOException {
        List<String> left = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                WarehouseSession session = warehouse().openSession();
                ArrowReader reader = session.query(Statement.of("SELECT table_schema || '.' || table_name FROM"
                        + " information_schema.tables WHERE table_name LIKE '\\_fl\\_input\\_%' ESCAPE '\\'"),
                        allocator)) {
            while (reader.loadNextBatch()) {
                VarCharVector names = (VarCharVector) reader.getVectorSchemaRoot().getVector(0);
                for (int i = 0; i < names.getValueCount(); i++) {
                    left.add(names.getObject(i).toString());
                }
            }
        }
        assertThat(left).isEmpty();
    }
}
