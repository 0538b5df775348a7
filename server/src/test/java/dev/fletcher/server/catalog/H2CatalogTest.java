package dev.fletcher.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The catalog suite on the embedded default: an H2 file in the data dir. */
@QuarkusTest
class H2CatalogTest extends AbstractCatalogSuite {
    @Inject
    CatalogPersistenceUnit unit;

    @Test
    void theDefaultDatabaseIsAnH2FileInTheDataDir() {
        assertThat(unit.database()).isEqualTo(dev.fletcher.server.config.CatalogDatabase.H2);
        assertThat(java.nio.file.Path.of("target/fletcher-test-data/catalog/catalog.mv.db")).exists();
    }
}
