package dev.fletcher.server.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.config.Configs;
import dev.fletcher.server.plugin.PluginInstances;
import dev.fletcher.server.plugin.RecordingReadiness;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.problem.Subject;
import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.PluginKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a failure inside a warehouse call means to the user, and what the call closes. */
class WarehouseCallTest {
    final ArrowMemory memory = new ArrowMemory();
    final PluginInstances plugins = new PluginInstances(Configs.fletcher(Map.of(
            "fletcher.warehouses.lake.plugin", "stub")), new RecordingReadiness());
    final Warehouses warehouses = new Warehouses(plugins, memory);

    @AfterEach
    void everyCallEndedItsSessionAndFreedItsMemory() {
        assertThat(((StubWarehouseFactory.Stub) warehouses.get("lake")).openSessions).hasValue(0);
        assertThat(memory.allocatedBytes()).isZero();
        plugins.stop(null);
    }

    @Test
    void aCapabilityTheWarehouseLacksIsNotSupportedAndNamesTheInstance() {
        try (WarehouseCall call = warehouses.call("lake", "test", Subject.METRICS_QUERY)) {
            assertThatThrownBy(() -> call.run(c -> {
                throw new NotSupportedException(PluginKind.WAREHOUSE, "stub", "approximate percentile");
            })).isInstanceOfSatisfying(RequestException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.NOT_SUPPORTED);
                assertThat(e.subject()).isEqualTo(Subject.METRICS_QUERY);
            }).hasMessage("approximate percentile is not supported by warehouse 'lake' (stub)");
        }
    }

    @Test
    void aPlanThatCannotBeMadeIsTheRequestsMistakeAndAPluginsFailureTheWarehouses() {
        try (WarehouseCall call = warehouses.call("lake", "test", Subject.TRAINING_SET)) {
            assertThatThrownBy(() -> call.run(c -> {
                throw new PlanException("feature view 'x' has no feature 'y'");
            })).isInstanceOfSatisfying(RequestException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST))
                    .hasMessage("feature view 'x' has no feature 'y'");
            assertThatThrownBy(() -> call.run(c -> {
                throw new PluginException("connection reset");
            })).isInstanceOfSatisfying(RequestException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.WAREHOUSE_FAILED))
                    .hasMessage("the warehouse failed: connection reset");
            RequestException own = RequestException.invalid(Subject.TRAINING_SET, "as it was");
            assertThatThrownBy(() -> call.run(c -> {
                throw own;
            })).isSameAs(own);
            assertThatThrownBy(() -> call.run(c -> {
                throw new IOException("stream ended");
            })).isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void sqlOfTheUsersOwnThatTheWarehouseRejectsIsTheirsToFix() {
        try (WarehouseCall call = warehouses.call("lake", "test", Subject.TRAINING_SET, "entity_sql")) {
            assertThatThrownBy(() -> call.run(c -> {
                throw new PluginException("Table with name no_such_table does not exist");
            })).isInstanceOfSatisfying(RequestException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST))
                    .hasMessage("the training-set request failed in the warehouse (check entity_sql): Table with name"
                            + " no_such_table does not exist");
        }
    }

    @Test
    void anUnknownInstanceOrADownWarehouseIsTheWarehousesFailure() {
        assertThatThrownBy(() -> warehouses.call("nowhere", "test", Subject.MONITOR))
                .isInstanceOfSatisfying(RequestException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WAREHOUSE_FAILED))
                .hasMessageContaining("no warehouse instance 'nowhere' is configured; configured: lake");
        ((StubWarehouseFactory.Stub) warehouses.get("lake")).down = true;
        try {
            assertThatThrownBy(() -> warehouses.call("lake", "test", Subject.MONITOR, "entity_sql"))
                    .isInstanceOfSatisfying(RequestException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.WAREHOUSE_FAILED))
                    .hasMessage("the warehouse failed: stub warehouse is down");
        } finally {
            ((StubWarehouseFactory.Stub) warehouses.get("lake")).down = false;
        }
    }

    @Test
    void whatFailsToTakeTheCallOverClosesIt() {
        WarehouseCall call = warehouses.call("lake", "test", Subject.METRICS_QUERY);
        call.allocator().buffer(64).close();
        assertThatThrownBy(() -> call.handOver(c -> {
            throw new PluginException("prepare failed");
        })).hasMessage("the warehouse failed: prepare failed");
        assertThatThrownBy(() -> call.allocator().buffer(64)).isInstanceOf(IllegalStateException.class);
    }
}
