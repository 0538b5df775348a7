package dev.fletcher.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CatalogDatabaseTest {
    @Test
    void noUrlMeansAnH2FileInTheDataDir() {
        var properties = CatalogDatabase.quarkusProperties(Optional.empty(), Optional.empty(), Optional.empty(),
                Path.of("/srv/fletcher"));
        assertThat(properties)
                .containsEntry("quarkus.datasource.h2.active", "true")
                .containsEntry("quarkus.hibernate-orm.h2.active", "true")
                .containsEntry("quarkus.flyway.h2.active", "true")
                .containsEntry("quarkus.datasource.postgresql.active", "false")
                .containsEntry("quarkus.hibernate-orm.postgresql.active", "false")
                .containsEntry("quarkus.flyway.postgresql.active", "false")
                .containsEntry("quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:/srv/fletcher/catalog/catalog")
                .doesNotContainKey("quarkus.datasource.postgresql.jdbc.url");
    }

    @Test
    void aPostgresUrlActivatesPostgresWithItsCredentials() {
        var properties = CatalogDatabase.quarkusProperties(
                Optional.of("jdbc:postgresql://db:5432/fletcher"), Optional.of("fletcher"), Optional.of("s3cret"),
                Path.of("/srv/fletcher"));
        assertThat(properties)
                .containsEntry("quarkus.datasource.postgresql.active", "true")
                .containsEntry("quarkus.datasource.h2.active", "false")
                .containsEntry("quarkus.datasource.postgresql.jdbc.url", "jdbc:postgresql://db:5432/fletcher")
                .containsEntry("quarkus.datasource.postgresql.username", "fletcher")
                .containsEntry("quarkus.datasource.postgresql.password", "s3cret")
                .doesNotContainKey("quarkus.datasource.h2.jdbc.url");
    }

    @Test
    void otherDatabasesAreRefusedWithTheSupportedOnes() {
        assertThatThrownBy(() -> CatalogDatabase.of(Optional.of("jdbc:mysql://db/fletcher")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql://")
                .hasMessageContaining("jdbc:mysql://db/fletcher");
        assertThat(CatalogDatabase.of(Optional.of("jdbc:h2:mem:x"))).isEqualTo(CatalogDatabase.H2);
    }
}
