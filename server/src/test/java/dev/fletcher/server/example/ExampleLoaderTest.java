package dev.fletcher.server.example;

import dev.fletcher.examples.ExampleTable;
import dev.fletcher.examples.ExampleData;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.WarehouseSession;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;

/** The example loaded at start into the default warehouse, and its catalog applied over REST. */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class ExampleLoaderTest {
    private static final Path CATALOG = Path.of("..", "examples", "catalog.yaml");

    @Inject
    ExampleLoader loader;

    @Inject
    Warehouses warehouses;

    @Inject
    ArrowMemory memory;

    @Test
    void everyTableIsLoadedOnceWithAllItsRows() throws Exception {
        ExampleData expected = ExampleData.generate();
        for (String table : ExampleData.TABLES) {
            assertThat(count(table)).as(table).isEqualTo(expected.table(table).rowCount());
        }
        // A second start finds every table and changes nothing.
        assertThat(loader.load()).isEmpty();
        for (String table : ExampleData.TABLES) {
            assertThat(count(table)).as(table).isEqualTo(expected.table(table).rowCount());
        }
        // A missing table is loaded again, and only that one.
        try (WarehouseSession session = warehouses.get("default").openSession()) {
            session.dropTable("assignments");
        }
        assertThat(loader.load()).containsExactly("assignments");
        assertThat(count("assignments")).isEqualTo(expected.table("assignments").rowCount());
    }

    @Test
    void timestampsSurviveTheLoad() throws Exception {
        // The first lead's creation time read back from the warehouse equals the generated one.
        long generated = firstLeadCreatedMicros();
        try (WarehouseSession session = warehouses.get("default").openSession();
                BufferAllocator allocator = memory.child("example-test");
                ArrowReader reader = session.query(
                        Statement.of("select min(created_at) as first_lead from leads"), allocator)) {
            assertThat(reader.loadNextBatch()).isTrue();
            Object first = reader.getVectorSchemaRoot().getVector("first_lead").getObject(0);
            long micros = first instanceof Long l ? l
                    : first instanceof java.time.LocalDateTime t
                            ? t.toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1_000 : -1;
            assertThat(micros).isEqualTo(generated);
        }
    }

    private static long firstLeadCreatedMicros() throws Exception {
        ExampleTable leads = ExampleData.generate().table("leads");
        try (BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
                ArrowReader reader = leads.reader(allocator)) {
            long min = Long.MAX_VALUE;
            while (reader.loadNextBatch()) {
                FieldVector created = reader.getVectorSchemaRoot().getVector("created_at");
                for (int i = 0; i < created.getValueCount(); i++) {
                    min = Math.min(min, (Long) created.getObject(i));
                }
            }
            return min;
        }
    }

    @Test
    void theExampleCatalogAppliesCleanlyAndUsesEveryKindAndMetricType() throws Exception {
        byte[] yaml = Files.readAllBytes(CATALOG);

        JsonPath dryRun = given().contentType("application/yaml").body(yaml)
                .queryParam("dry_run", true).queryParam("name", "catalog.yaml")
                .when().post("/api/v1/catalog/apply")
                .then().statusCode(200).extract().jsonPath();
        assertThat(dryRun.getBoolean("dry_run")).isTrue();

        JsonPath applied = given().contentType("application/yaml").body(yaml).queryParam("name", "catalog.yaml")
                .when().post("/api/v1/catalog/apply")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> changes = applied.getList("changes");
        assertThat(changes).isNotEmpty().allSatisfy(c -> assertThat(c.get("action")).isIn("created", "unchanged"));
        assertThat(changes).hasSameSizeAs(dryRun.getList("changes"));

        Map<String, Set<String>> namesByKind = new HashMap<>();
        changes.forEach(c -> namesByKind.computeIfAbsent((String) c.get("kind"), k -> new java.util.TreeSet<>())
                .add((String) c.get("name")));
        assertThat(namesByKind.keySet())
                .containsExactlyInAnyOrder("entity", "source", "feature_view", "metric", "monitor", "experiment");
        assertThat(namesByKind.get("feature_view")).contains("referrer_conversion", "customer_profile");
        assertThat(namesByKind.get("monitor")).contains("model_accuracy");
        assertThat(namesByKind.get("experiment")).containsExactly("checkout_redesign");

        Set<String> metricTypes = namesByKind.get("metric").stream()
                .map(name -> given().get("/api/v1/catalog/metric/" + name).then().statusCode(200)
                        .extract().jsonPath().getString("spec.type"))
                .collect(Collectors.toSet());
        assertThat(metricTypes).containsExactlyInAnyOrder("simple", "ratio", "derived", "cumulative", "conversion");

        JsonPath accuracy = given().get("/api/v1/catalog/metric/prediction_accuracy").then().statusCode(200)
                .extract().jsonPath();
        assertThat(accuracy.getString("spec.numerator")).isEqualTo("correct_leads");
        JsonPath monitor = given().get("/api/v1/catalog/monitor/model_accuracy").then().statusCode(200)
                .extract().jsonPath();
        assertThat(monitor.getString("spec.window")).isEqualTo("3h");
        assertThat(monitor.getString("spec.maturity")).isEqualTo("1d");

        JsonPath again = given().contentType("application/yaml").body(yaml)
                .when().post("/api/v1/catalog/apply")
                .then().statusCode(200).extract().jsonPath();
        assertThat(again.getList("changes.action", String.class)).containsOnly("unchanged");
    }

    private long count(String table) throws Exception {
        try (WarehouseSession session = warehouses.get("default").openSession();
                BufferAllocator allocator = memory.child("example-test");
                ArrowReader reader = session.query(Statement.of("select count(*) as n from " + table), allocator)) {
            assertThat(reader.loadNextBatch()).isTrue();
            return ((Number) reader.getVectorSchemaRoot().getVector("n").getObject(0)).longValue();
        }
    }
}
