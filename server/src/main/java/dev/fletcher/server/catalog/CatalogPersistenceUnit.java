package dev.fletcher.server.catalog;

import dev.fletcher.catalog.persistence.CatalogUnit;
import dev.fletcher.server.config.CatalogDatabase;
import dev.fletcher.server.config.FletcherConfig;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.annotation.Annotation;

/** Points the catalog store at the persistence unit that {@code fletcher.catalog.db} activated. */
@ApplicationScoped
public class CatalogPersistenceUnit implements CatalogUnit {
    private final CatalogDatabase database;

    @Inject
    public CatalogPersistenceUnit(FletcherConfig config) {
        this.database = CatalogDatabase.of(config.catalog().db());
    }

    public CatalogDatabase database() {
        return database;
    }

    @Override
    public Annotation qualifier() {
        return new PersistenceUnit.PersistenceUnitLiteral(database.unitName());
    }
}
