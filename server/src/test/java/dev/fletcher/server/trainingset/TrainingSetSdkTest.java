package dev.fletcher.server.trainingset;

import static dev.fletcher.server.trainingset.TrainingSetFixture.FEATURES;
import static dev.fletcher.server.trainingset.TrainingSetFixture.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.sdk.FletcherException;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.arrow.MemoryAssertions;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.flight.FlightService;
import dev.fletcher.server.warehouse.Warehouses;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Java SDK's training-set calls against the running server. */
@QuarkusTest
class TrainingSetSdkTest {
    @TestHTTPResource("/")
    URL http;
    @Inject
    FlightService flight;
    @Inject
    Warehouses warehouses;
    @Inject
    CatalogService catalog;
    @Inject
    ArrowMemory memory;

    FletcherClient fletcher;
    long idle;

    @BeforeEach
    void setUp() throws Exception {
        TrainingSetFixture.install(warehouses, catalog, memory);
        fletcher = FletcherClient.connect(http.toURI(), URI.create("grpc+tcp://127.0.0.1:" + flight.port()));
        idle = memory.allocatedBytes();
    }

    @AfterEach
    void tearDown() {
        fletcher.close();
        MemoryAssertions.assertReturnsTo(memory, idle);
    }

    @Test
    void uploadedEntityRows() {
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot entities = TrainingSetFixture.root(allocator, TrainingSetFixture.entitySchema(),
                     TrainingSetFixture.ENTITIES)) {
            TrainingSetFixture.assertExpected(TrainingSetFixture.readAll(
                    fletcher.trainingSet(FEATURES, entities, "event_timestamp")));
            // The same rows as a reader of batches.
            ArrowReader reader = TrainingSetFixture.reader(allocator, TrainingSetFixture.entitySchema(),
                    TrainingSetFixture.ENTITIES);
            try (reader) {
                TrainingSetFixture.assertExpected(TrainingSetFixture.readAll(
                        fletcher.trainingSet(FEATURES, reader, null)));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void entitySqlAndTimeRange() {
        TrainingSetFixture.assertExpected(TrainingSetFixture.readAll(fletcher.trainingSet(FEATURES,
                "select customer_id, event_timestamp, label from ts_entities", "event_timestamp")));
        TrainingSetFixture.Result range = TrainingSetFixture.readAll(fletcher.trainingSet(
                List.of("ts_txn:txn_count_1d"), t("2026-01-10T00:00:00Z"), t("2026-01-10T09:00:00Z"), null));
        assertThat(range.rows()).containsExactly(List.of("c2", t("2026-01-10T08:00:00Z"), 1L));
    }

    @Test
    void refusalsCarryTheServersMessage() {
        assertThatThrownBy(() -> fletcher.trainingSet(List.of("ts_txn:nope"), "select * from ts_entities", null))
                .isInstanceOfSatisfying(FletcherException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.detail()).contains("has no feature 'nope'");
                });
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot entities = TrainingSetFixture.root(allocator, TrainingSetFixture.entitySchema(),
                     TrainingSetFixture.ENTITIES)) {
            assertThatThrownBy(() -> fletcher.trainingSet(FEATURES, entities, "when"))
                    .isInstanceOfSatisfying(FletcherException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.detail()).contains("no timestamp column 'when'");
                    });
        }
    }

    /** The client-side twin of docs/flight.md's Arrow Java example, kept here so the page's code is known to run. */
    @Test
    void theProtocolPagesJavaExampleRuns() throws Exception {
        FlightProtocolExample.run("127.0.0.1", flight.port());
    }
}
