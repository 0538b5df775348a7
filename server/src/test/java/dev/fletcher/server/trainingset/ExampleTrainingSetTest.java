package dev.fletcher.server.trainingset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.arrow.MemoryAssertions;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.examples.ExampleData;
import dev.fletcher.server.example.ExampleProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.Test;

/** The lead-conversion scenario's feature on the example data: a referrer's trailing 3 hour conversion rate. */
@QuarkusTest
@TestProfile(ExampleProfile.class)
class ExampleTrainingSetTest {
    private static final Path CATALOG = Path.of("..", "examples", "catalog.yaml");
    private static final Duration WINDOW = Duration.ofHours(3);

    @Inject
    CatalogService catalog;
    @Inject
    ArrowMemory memory;

    record Lead(String id, String referrer, Instant createdAt) {
    }

    @Test
    void facebookTrailingThreeHourConversionRateForLeadRows() throws Exception {
        catalog.apply("catalog.yaml", Files.readString(CATALOG), false, false);
        long idle = memory.allocatedBytes();

        // The example's own rows, read from the generator (not from the warehouse or the engine).
        ExampleData data = ExampleData.generate();
        List<Lead> leads = new ArrayList<>();
        Map<String, String> referrerOf = new HashMap<>();
        List<Instant> facebookConversions = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator()) {
            for (List<Object> row : TrainingSetFixture.readAll(data.table("leads").reader(allocator)).rows()) {
                // leads: lead_id, email, referrer, created_at
                leads.add(new Lead((String) row.get(0), (String) row.get(2), (Instant) row.get(3)));
                referrerOf.put((String) row.get(0), (String) row.get(2));
            }
            for (List<Object> row : TrainingSetFixture.readAll(data.table("conversions").reader(allocator)).rows()) {
                // conversions: lead_id, converted_at, plan, amount
                if ("facebook".equals(referrerOf.get((String) row.get(0)))) {
                    facebookConversions.add((Instant) row.get(1));
                }
            }
        }
        List<Lead> facebook = leads.stream().filter(l -> l.referrer().equals("facebook"))
                .sorted(Comparator.comparing(Lead::createdAt)).toList();
        assertThat(facebook).hasSizeGreaterThan(100);

        // A few facebook leads from the middle of the data, where the trailing window has conversions, and one
        // where it has none if there is such a lead.
        List<Lead> chosen = new ArrayList<>();
        Lead withoutConversions = null;
        for (Lead lead : facebook.subList(facebook.size() / 2, facebook.size())) {
            long conversions = countIn(facebookConversions, lead.createdAt());
            if (conversions > 0 && chosen.size() < 3) {
                chosen.add(lead);
            } else if (conversions == 0 && withoutConversions == null) {
                withoutConversions = lead;
            }
        }
        assertThat(chosen).hasSize(3);
        if (withoutConversions != null) {
            chosen.add(withoutConversions);
        }

        Map<String, Object> entities = new LinkedHashMap<>();
        entities.put("lead_id", chosen.stream().map(Lead::id).toList());
        entities.put("referrer", chosen.stream().map(Lead::referrer).toList());
        entities.put("event_timestamp", chosen.stream().map(l -> l.createdAt().toString()).toList());
        Response response = given().contentType("application/json")
                .body(Map.of("features", List.of("referrer_conversion:leads_3h", "referrer_conversion:conversions_3h",
                        "referrer_conversion:conversion_rate_3h"), "entities", entities))
                .post("/api/v1/training-sets");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);

        TrainingSetFixture.Result result;
        try (BufferAllocator allocator = new RootAllocator()) {
            result = TrainingSetFixture.readAll(new ArrowStreamReader(new ByteArrayInputStream(response.asByteArray()),
                    allocator));
        }
        assertThat(result.columns()).containsExactly("lead_id", "referrer", "event_timestamp",
                "referrer_conversion__leads_3h", "referrer_conversion__conversions_3h",
                "referrer_conversion__conversion_rate_3h");
        assertThat(result.rows()).hasSize(chosen.size());
        Map<String, List<Object>> byLead = new HashMap<>();
        result.rows().forEach(row -> byLead.put((String) row.get(0), row));
        for (Lead lead : chosen) {
            List<Object> row = byLead.get(lead.id());
            assertThat(row).as(lead.id()).isNotNull();
            long leadsInWindow = countIn(facebook.stream().map(Lead::createdAt).toList(), lead.createdAt());
            long conversionsInWindow = countIn(facebookConversions, lead.createdAt());
            assertThat(leadsInWindow).as("the lead itself is in its own window").isPositive();
            assertThat(((Number) row.get(3)).longValue()).as(lead.id() + " leads").isEqualTo(leadsInWindow);
            assertThat(((Number) row.get(4)).longValue()).as(lead.id() + " conversions").isEqualTo(conversionsInWindow);
            assertThat((Double) row.get(5)).as(lead.id() + " rate")
                    .isCloseTo((double) conversionsInWindow / leadsInWindow, within(1e-12));
        }
        MemoryAssertions.assertReturnsTo(memory, idle);
    }

    /** How many times fall in the trailing window (t - 3h, t]. */
    private static long countIn(List<Instant> times, Instant t) {
        Instant from = t.minus(WINDOW);
        return times.stream().filter(time -> time.isAfter(from) && !time.isAfter(t)).count();
    }
}
