package dev.fletcher.server.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.fletcher.server.config.CatalogDatabase;
import dev.fletcher.server.problem.Problem;
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

    /**
     * The catalog database goes away under a running server (it stops taking connections and every session is
     * ended): calls that need it are a 503 problem, nothing is half-stored, and once it is back the server serves
     * again without a restart.
     */
    @Test
    void theCatalogDatabaseGoingAwayIsA503AndTheServerRecoversWithoutARestart() throws Exception {
        long before = catalogVersion();
        try {
            admin("alter database " + PostgresCatalogDatabase.DATABASE + " with allow_connections false");
            admin("select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                    + PostgresCatalogDatabase.DATABASE + "'");

            apply(Bundles.entity(p + "during"), "").then().statusCode(503)
                    .contentType(Problem.MEDIA_TYPE)
                    .body("status", equalTo(503))
                    .body("detail", containsString("catalog database"));
            given().get("/api/v1/catalog/entity/baseline/versions").then().statusCode(503)
                    .contentType(Problem.MEDIA_TYPE);
        } finally {
            admin("alter database " + PostgresCatalogDatabase.DATABASE + " with allow_connections true");
        }

        // Connections the pool held when the database went away fail once each and are replaced: within seconds
        // the same apply goes through, with no restart. A refused attempt stores nothing.
        long deadline = System.nanoTime() + 20_000_000_000L;
        int status = apply(Bundles.entity(p + "after"), "").statusCode();
        while (status == 503 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            status = apply(Bundles.entity(p + "after"), "").statusCode();
        }
        assertThat(status).isEqualTo(200);
        assertThat(catalogVersion()).isEqualTo(before + 1);
        given().get("/api/v1/catalog/entity/" + p + "after").then().statusCode(200);
        given().get("/api/v1/catalog/entity/" + p + "during").then().statusCode(404);
    }

    private static void admin(String sql) throws java.sql.SQLException {
        try (var connection = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                PostgresCatalogDatabase.USER, "");
             var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
