package dev.fletcher.server.trainingset;

import static dev.fletcher.server.trainingset.TrainingSetFixture.FEATURES;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.server.problem.Problem;
import dev.fletcher.server.warehouse.Warehouses;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * User SQL stays inside the warehouse: a source's {@code sql} and a request's {@code entity_sql} are one query,
 * checked before they run, and the embedded DuckDB reads files only in its allowed directories.
 */
@QuarkusTest
class UserSqlSandboxTest {
    private static final String APPLY = "/api/v1/catalog/apply";

    @Inject
    Warehouses warehouses;
    @Inject
    CatalogService catalog;
    @Inject
    ArrowMemory memory;
    @Inject
    FletcherConfig config;

    @BeforeEach
    void setUp() {
        TrainingSetFixture.install(warehouses, catalog, memory);
    }

    private static Response apply(String bundle, String query) {
        return given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(bundle).post(APPLY + query);
    }

    private static String source(String name, String sql) {
        return "kind: source\nname: " + name + "\nsql: \"" + sql.replace("\"", "\\\"")
                + "\"\ntimestamp: ts\nentity_columns: {ts_customer: customer_id}\n";
    }

    /** A refused bundle: 400 naming the source and what is wrong, and the catalog is unchanged. */
    private void refused(String bundle, String query, String... expected) {
        long before = catalog.catalogVersion();
        Response response = apply(bundle, query);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith(Problem.MEDIA_TYPE);
        String message = response.jsonPath().getString("errors[0].message");
        for (String part : expected) {
            assertThat(message).as(response.asString()).contains(part);
        }
        assertThat(catalog.catalogVersion()).isEqualTo(before);
    }

    /** The bundle of issue 12, which once answered the server's /etc/passwd to any client. */
    @Test
    void theBundleThatReadEtcPasswdIsRefusedAtApply() {
        String bundle = """
                kind: source
                name: secrets
                sql: "select content as line, now() as ts from read_text('/etc/passwd')"
                timestamp: ts
                """;
        refused(bundle, "", "source `secrets`", "Permission Error", "/etc/passwd");
        refused(bundle, "?dry_run=true", "source `secrets`", "Permission Error");
        given().get("/api/v1/catalog/source/secrets").then().statusCode(404);
    }

    @Test
    void sourcesThatAreNotOneQueryAreRefusedByName() {
        refused(source("sb_copy", "copy ts_txns to '/tmp/stolen.csv'"), "", "source `sb_copy`",
                "`COPY` is not allowed in user SQL; only a single query is");
        refused(source("sb_two", "select * from ts_txns; drop table ts_txns"), "?dry_run=true", "source `sb_two`",
                "only one statement");
        refused(source("sb_attach", "attach '/tmp/other.duckdb' as other"), "", "`ATTACH`");
        refused(source("sb_pragma", "pragma database_list"), "", "`PRAGMA`");
        Response errors = apply(source("sb_install", "install httpfs"), "");
        assertThat(errors.jsonPath().getString("errors[0].field")).isEqualTo("sql");
        assertThat(errors.jsonPath().getInt("errors[0].line")).isEqualTo(3);
    }

    @Test
    void aSourceTheWarehouseCannotReadIsRefusedWithItsMessage() {
        refused(source("sb_missing", "select customer_id, txn_at as ts from sb_no_such_table"), "",
                "source `sb_missing` cannot be read in warehouse 'default'", "sb_no_such_table");
        refused(source("sb_no_ts", "select customer_id, amount from ts_txns"), "?dry_run=true",
                "source `sb_no_ts`", "the timestamp column 'ts' is not among the columns");
        refused(source("sb_no_key", "select amount, txn_at as ts from ts_txns"), "", "source `sb_no_key`",
                "key column(s) [customer_id] of entity 'ts_customer'");

        Response ok = apply("kind: entity\nname: ts_customer\nkeys: [customer_id]\n---\n"
                + source("sb_ok", "select customer_id, txn_at as ts, amount from ts_txns"), "?dry_run=true");
        assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(200);
        assertThat(ok.jsonPath().getMap("$")).doesNotContainKey("not_checked");
    }

    @Test
    void aFileInsideTheAllowedDirectoryStillReads() throws IOException {
        Path files = config.dataDir().resolve("files").toAbsolutePath().normalize();
        Path csv = files.resolve("sb_txns.csv");
        Files.writeString(csv, "customer_id,ts,amount\nc1,2026-01-10 09:00:00,1.5\n");
        Response ok = apply("kind: entity\nname: ts_customer\nkeys: [customer_id]\n---\n"
                + source("sb_file", "select customer_id, cast(ts as timestamp) as ts, amount from read_csv_auto('"
                        + csv + "')"), "?dry_run=true");
        assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(200);
        refused(source("sb_glob", "select file as customer_id, now() as ts from glob('" + config.dataDir()
                .toAbsolutePath().normalize() + "/**')"), "", "source `sb_glob`", "Permission Error");
    }

    @Test
    void entitySqlIsOneQueryInsideTheSandbox() {
        problem("select column0 as customer_id, now() as event_timestamp from read_csv_auto('/etc/passwd')",
                "Permission Error");
        problem("select file as customer_id, now() as event_timestamp from glob('"
                + config.dataDir().toAbsolutePath().normalize() + "/**')", "Permission Error");
        problem("copy (select 1) to '/tmp/x.csv'", "entity_sql: `COPY` is not allowed in user SQL");
        problem("SET enable_external_access = true", "entity_sql: `SET` is not allowed in user SQL");
        problem("INSTALL httpfs", "entity_sql: `INSTALL` is not allowed in user SQL");
        problem("select 'c1' as customer_id, now() as event_timestamp; drop table ts_txns", "only one statement");
    }

    private static void problem(String entitySql, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("features", FEATURES);
        body.put("entity_sql", entitySql);
        Response response = given().contentType("application/json").body(body).post("/api/v1/training-sets");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(response.jsonPath().getString("detail")).as(entitySql).contains(message);
        assertThat(List.of(response.asString())).noneMatch(text -> text.contains("root:x:0:0"));
    }
}
