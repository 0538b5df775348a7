package dev.fletcher.server.catalog;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** Keeps the catalog in PostgreSQL, in a database created afresh for the run. */
public class PostgresCatalogProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "fletcher.catalog.db", PostgresCatalogDatabase.URL,
                "fletcher.catalog.user", PostgresCatalogDatabase.USER);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresCatalogDatabase.class));
    }
}
