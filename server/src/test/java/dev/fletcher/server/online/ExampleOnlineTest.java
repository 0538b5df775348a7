package dev.fletcher.server.online;

import static dev.fletcher.server.online.OnlineFixture.materialize;
import static dev.fletcher.server.online.OnlineFixture.read;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.examples.ExampleData;
import dev.fletcher.server.example.ExampleProfile;
import dev.fletcher.examples.ExampleTable;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;

/** The example catalog's online views, materialized from the example data and checked against training sets. */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class ExampleOnlineTest {
    private static final Path CATALOG = Path.of("..", "examples", "catalog.yaml");

    @Inject
    CatalogService catalog;

    @Test
    void everyOnlineViewOfTheExampleIsServedAndConsistent() throws Exception {
        catalog.apply("catalog.yaml", Files.readString(CATALOG), false, false);
        JsonPath job = materialize(Map.of());
        assertThat(job.getString("state")).as(job.prettify()).isEqualTo("succeeded");
        assertThat(job.getList("feature_views", String.class))
                .containsExactly("customer_orders", "customer_profile", "referrer_conversion");
        for (String view : List.of("customer_orders", "customer_profile", "referrer_conversion")) {
            JsonPath check = given().get("/api/v1/feature-views/" + view + "/consistency?sample=200").then()
                    .statusCode(200).extract().jsonPath();
            assertThat(check.getInt("sampled")).as(view).isGreaterThan(3);
            assertThat(check.getInt("mismatched_keys")).as(check.prettify()).isZero();
        }

        // leads_3h by hand from the generator's rows: leads of each referrer created in (as_of - 3h, as_of], where
        // as_of is the newest lead or conversion (the source's rows are both).
        ExampleData data = ExampleData.generate();
        Map<String, List<Instant>> created = new HashMap<>();
        Instant newest = Instant.EPOCH;
        try (BufferAllocator allocator = new RootAllocator()) {
            for (String[] row : rows(data.table("leads"), allocator, "referrer", "created_at")) {
                Instant at = Instant.parse(row[1]);
                created.computeIfAbsent(row[0], r -> new java.util.ArrayList<>()).add(at);
                newest = at.isAfter(newest) ? at : newest;
            }
            for (String[] row : rows(data.table("conversions"), allocator, "lead_id", "converted_at")) {
                Instant at = Instant.parse(row[1]);
                newest = at.isAfter(newest) ? at : newest;
            }
        }
        Instant asOf = newest;
        JsonPath answer = read(Map.of("features", List.of("referrer_conversion:leads_3h",
                "referrer_conversion:conversion_rate_3h"), "entities",
                Map.of("referrer", List.of("facebook", "google", "newsletter", "direct", "tiktok"))))
                .then().statusCode(200).extract().jsonPath();
        assertThat(Instant.parse(answer.getString("as_of.referrer_conversion"))).isEqualTo(asOf);
        List<String> referrers = List.of("facebook", "google", "newsletter", "direct");
        for (int i = 0; i < referrers.size(); i++) {
            long expected = created.get(referrers.get(i)).stream()
                    .filter(t -> t.isAfter(asOf.minusSeconds(3 * 3600)) && !t.isAfter(asOf)).count();
            assertThat(answer.getLong("rows[" + i + "].referrer_conversion__leads_3h")).as(referrers.get(i))
                    .isEqualTo(expected);
        }
        assertThat(answer.getString("rows[4].referrer_conversion__leads_3h")).isNull();
    }

    /** The named columns of every row of an example table, as text (times in ISO-8601). */
    private static List<String[]> rows(ExampleTable table, BufferAllocator allocator, String... columns)
            throws Exception {
        List<String[]> rows = new java.util.ArrayList<>();
        try (ArrowReader reader = table.reader(allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                for (int r = 0; r < root.getRowCount(); r++) {
                    String[] row = new String[columns.length];
                    for (int c = 0; c < columns.length; c++) {
                        var vector = root.getVector(columns[c]);
                        if (vector instanceof TimeStampVector t) {
                            long micros = t.get(r);
                            row[c] = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                                    Math.floorMod(micros, 1_000_000L) * 1000).toString();
                        } else {
                            row[c] = new String(((VarCharVector) vector).get(r), java.nio.charset.StandardCharsets.UTF_8);
                        }
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
