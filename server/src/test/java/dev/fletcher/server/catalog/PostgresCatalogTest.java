package dev.fletcher.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.server.config.CatalogDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The catalog suite on PostgreSQL, as in production. */
@QuarkusTest
@TestProfile(PostgresCatalogProfile.class)
class PostgresCatalogTest extends AbstractCatalogSuite {
    @Inject
    CatalogPersistenceUnit unit;

    @Test
    void theCatalogLivesInPostgres() throws Exception {
        assertThat(unit.database()).isEqualTo(CatalogDatabase.POSTGRESQL);
        try (var connection = java.sql.DriverManager.getConnection(PostgresCatalogDatabase.URL,
                PostgresCatalogDatabase.USER, "");
             var rows = connection.createStatement().executeQuery(
                     "select name from catalog_object where kind = 'entity' order by name")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("baseline");
        }
    }
}
