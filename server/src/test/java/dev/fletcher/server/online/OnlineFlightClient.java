package dev.fletcher.server.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.spi.ArrowValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** A plain Arrow Flight client of the {@code online_features} exchange, as any service would write one. */
final class OnlineFlightClient implements AutoCloseable {
    /** One answered batch: its rows (column name to value), its columns' Arrow types and its as-of metadata. */
    record Batch(List<Map<String, Object>> rows, Map<String, String> types, Map<String, String> asOf) {
    }

    private final BufferAllocator allocator = new RootAllocator();
    private final FlightClient client;
    private final ObjectMapper json = new ObjectMapper();

    OnlineFlightClient(int port) {
        client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", port)).build();
    }

    List<Batch> read(List<String> features, List<String> customers) throws Exception {
        return readAs("customer_id", features, customers);
    }

    List<Batch> readAs(String keyColumn, List<String> features, List<String> keys) throws Exception {
        byte[] command = json.writeValueAsBytes(Map.of("online_features", Map.of("features", features)));
        Schema schema = new Schema(List.of(Field.nullable(keyColumn, ArrowType.Utf8.INSTANCE)));
        List<Batch> batches = new ArrayList<>();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
                FlightClient.ExchangeReaderWriter exchange = client.doExchange(FlightDescriptor.command(command))) {
            VarCharVector column = (VarCharVector) root.getVector(0);
            column.allocateNew();
            for (int i = 0; i < keys.size(); i++) {
                column.setSafe(i, keys.get(i).getBytes(StandardCharsets.UTF_8));
            }
            root.setRowCount(keys.size());
            exchange.getWriter().start(root);
            exchange.getWriter().putNext();
            exchange.getWriter().completed();
            collect(exchange.getReader(), batches);
        }
        return batches;
    }

    /** The DoGet way: the request, as the HTTP read's body, in the ticket. */
    List<Batch> get(List<String> features, Map<String, ?> entities) throws Exception {
        byte[] ticket = json.writeValueAsBytes(Map.of("online_features",
                Map.of("features", features, "entities", entities)));
        List<Batch> batches = new ArrayList<>();
        try (FlightStream answer = client.getStream(new Ticket(ticket))) {
            collect(answer, batches);
        }
        return batches;
    }

    private void collect(FlightStream answer, List<Batch> batches) throws Exception {
        while (answer.next()) {
            VectorSchemaRoot got = answer.getRoot();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < got.getRowCount(); i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (FieldVector vector : got.getFieldVectors()) {
                    row.put(vector.getName(), ArrowValues.value(vector, i));
                }
                rows.add(row);
            }
            Map<String, String> types = new LinkedHashMap<>();
            got.getSchema().getFields().forEach(f -> types.put(f.getName(), f.getType().toString()));
            batches.add(new Batch(rows, types, asOf(answer.getLatestMetadata())));
        }
    }

    private Map<String, String> asOf(ArrowBuf metadata) throws Exception {
        Map<String, String> asOf = new LinkedHashMap<>();
        if (metadata != null) {
            byte[] bytes = new byte[(int) metadata.readableBytes()];
            metadata.getBytes(metadata.readerIndex(), bytes);
            JsonNode node = json.readTree(bytes);
            node.path("as_of").fields().forEachRemaining(e -> asOf.put(e.getKey(), e.getValue().asText()));
        }
        return asOf;
    }

    @Override
    public void close() throws Exception {
        client.close();
        allocator.close();
    }
}
