package dev.fletcher.server.flight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Flight endpoint as any Arrow Flight client sees it. */
@QuarkusTest
class FlightServiceTest {
    @Inject
    FlightService flight;

    BufferAllocator allocator;
    FlightClient client;

    @BeforeEach
    void connect() {
        allocator = new RootAllocator();
        client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", flight.port())).build();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        allocator.close();
    }

    @Test
    void healthActionAnswersUp() {
        Iterator<Result> results = client.doAction(new Action("health"));
        assertThat(results.hasNext()).isTrue();
        assertThat(new String(results.next().getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"UP\"}");
        assertThat(results.hasNext()).isFalse();
    }

    @Test
    void listActionsNamesHealth() {
        List<String> types = new ArrayList<>();
        client.listActions().forEach((ActionType type) -> types.add(type.getType()));
        assertThat(types).contains("health");
    }

    @Test
    void unknownActionIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> client.doAction(new Action("reboot")).hasNext())
                .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("unknown action 'reboot'").contains("health");
                });
    }

    @Test
    void commandsThatAreNotJsonOrUnknownAreRefused() {
        assertThatThrownBy(() -> client.getInfo(FlightDescriptor.command("select 1".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("not JSON");
                });
        assertThatThrownBy(() -> client.getInfo(FlightDescriptor.command(
                "{\"launch\": {}}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("unknown command 'launch'");
                });
        assertThatThrownBy(() -> client.getInfo(FlightDescriptor.path("tables", "txns")))
                .isInstanceOfSatisfying(FlightRuntimeException.class,
                        e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> client.getStream(new Ticket("{}".getBytes(StandardCharsets.UTF_8))).next())
                .isInstanceOfSatisfying(FlightRuntimeException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("exactly one key");
                });
    }

    @Test
    void listFlightsIsNotOffered() {
        assertThatThrownBy(() -> client.listFlights(Criteria.ALL).iterator().hasNext())
                .isInstanceOfSatisfying(FlightRuntimeException.class,
                        e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNIMPLEMENTED));
    }
}
