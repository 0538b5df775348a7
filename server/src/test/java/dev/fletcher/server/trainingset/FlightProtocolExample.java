package dev.fletcher.server.trainingset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** The Arrow Java example of docs/flight.md, plain Flight without the SDK; the body of {@link #example} is the page's. */
final class FlightProtocolExample {
    private FlightProtocolExample() {
    }

    static void run(String host, int port) throws Exception {
        List<String> rows = example(host, port);
        // c1 at 10:00: transactions of 10 and 5 in the trailing hour; c2 at 08:30: 100 (TrainingSetFixture).
        assertThat(rows).containsExactlyInAnyOrder("c1 15.0", "c2 100.0", "c1 15.0 (entity_sql)",
                "c2 100.0 (entity_sql)");
    }

    static List<String> example(String host, int port) throws Exception {
        List<String> out = new ArrayList<>();
        // --8<-- [start:example]
        try (BufferAllocator allocator = new RootAllocator();
             FlightClient client = FlightClient.builder(allocator, Location.forGrpcInsecure(host, port)).build()) {
            // 1. Upload entity rows with DoPut: the command says which features and which column holds the time.
            Schema schema = new Schema(List.of(
                    Field.nullable("customer_id", ArrowType.Utf8.INSTANCE),
                    Field.nullable("event_timestamp", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"))));
            byte[] command = """
                    {"training_set": {"features": ["ts_txn:amount_sum_1h"], "timestamp_column": "event_timestamp"}}
                    """.getBytes(StandardCharsets.UTF_8);
            String ticket;
            try (VectorSchemaRoot entities = VectorSchemaRoot.create(schema, allocator)) {
                VarCharVector ids = (VarCharVector) entities.getVector("customer_id");
                TimeStampMicroTZVector times = (TimeStampMicroTZVector) entities.getVector("event_timestamp");
                ids.setSafe(0, "c1".getBytes(StandardCharsets.UTF_8));
                times.setSafe(0, micros(Instant.parse("2026-01-10T10:00:00Z")));
                ids.setSafe(1, "c2".getBytes(StandardCharsets.UTF_8));
                times.setSafe(1, micros(Instant.parse("2026-01-10T08:30:00Z")));
                entities.setRowCount(2);

                SyncPutListener results = new SyncPutListener();
                FlightClient.ClientStreamListener put = client.startPut(FlightDescriptor.command(command), entities,
                        results);
                put.putNext();
                put.completed();
                put.getResult();
                try (PutResult result = results.read()) {
                    // app_metadata is {"ticket": "..."}; a JSON parser is better, this keeps the example short.
                    String metadata = StandardCharsets.UTF_8.decode(
                            result.getApplicationMetadata().nioBuffer()).toString();
                    ticket = new com.fasterxml.jackson.databind.ObjectMapper().readTree(metadata).get("ticket")
                            .asText();
                }
            }
            // 2. DoGet the ticket: the training set streams back batch by batch.
            try (FlightStream stream = client.getStream(new Ticket(ticket.getBytes(StandardCharsets.UTF_8)))) {
                while (stream.next()) {
                    VectorSchemaRoot batch = stream.getRoot();
                    for (int row = 0; row < batch.getRowCount(); row++) {
                        out.add(batch.getVector("customer_id").getObject(row) + " "
                                + batch.getVector("ts_txn__amount_sum_1h").getObject(row));
                    }
                }
            }
            // 3. Entity rows that live in the warehouse: GetFlightInfo with entity_sql, then DoGet its ticket.
            byte[] query = """
                    {"training_set": {"features": ["ts_txn:amount_sum_1h"],
                      "entity_sql": "select customer_id, event_timestamp from ts_entities where label = 1 and event_timestamp < '2026-02-01'",
                      "timestamp_column": "event_timestamp"}}
                    """.getBytes(StandardCharsets.UTF_8);
            FlightInfo info = client.getInfo(FlightDescriptor.command(query));
            try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
                while (stream.next()) {
                    VectorSchemaRoot batch = stream.getRoot();
                    for (int row = 0; row < batch.getRowCount(); row++) {
                        out.add(batch.getVector("customer_id").getObject(row) + " "
                                + batch.getVector("ts_txn__amount_sum_1h").getObject(row) + " (entity_sql)");
                    }
                }
            }
        }
        // --8<-- [end:example]
        return out;
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000L;
    }
}
