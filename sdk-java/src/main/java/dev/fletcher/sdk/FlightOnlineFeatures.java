package dev.fletcher.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Online reads over Arrow Flight ({@code online_features}): a few entity keys travel in a DoGet ticket, more go as
 * one Arrow batch over DoExchange; the answer comes back as Arrow and is read into the same {@link OnlineFeatures}
 * the HTTP read gives.
 */
final class FlightOnlineFeatures {
    /** Up to this many entities a read travels as a DoGet ticket; more stream over DoExchange. */
    static final int TICKET_KEYS = 256;

    private final FlightTrainingSets flight;
    private final ObjectMapper json;

    FlightOnlineFeatures(FlightTrainingSets flight, ObjectMapper json) {
        this.flight = flight;
        this.json = json;
    }

    /** The server cannot be asked over Flight (no Flight port, or a server without the command): ask over HTTP. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @return the answer, or null when the keys cannot travel as Arrow columns (values of mixed or other types),
     *         which the HTTP read accepts
     * @throws Unavailable when Flight cannot serve the read at all
     */
    OnlineFeatures read(List<String> features, Map<String, ? extends List<?>> entityKeys) {
        Schema schema = schema(entityKeys);
        if (schema == null) {
            return null;
        }
        int count = entityKeys.values().iterator().next().size();
        try {
            return count <= TICKET_KEYS ? get(features, entityKeys, count) : exchange(features, entityKeys, schema);
        } catch (FlightRuntimeException e) {
            if (unavailable(e)) {
                throw new Unavailable(e.getMessage(), e);
            }
            throw FlightTrainingSets.error(e);
        } catch (Exception e) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException(new IOException("the online read over Flight failed: " + e, e));
        }
    }

    /** A few keys travel in a DoGet ticket: one message each way, no client stream to open and wait on. */
    private OnlineFeatures get(List<String> features, Map<String, ? extends List<?>> entityKeys, int count)
            throws Exception {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("features", List.copyOf(features));
        request.put("entities", entityKeys);
        byte[] ticket = json.writeValueAsBytes(Map.of("online_features", request));
        try (FlightStream answer = flight.client().getStream(new Ticket(ticket))) {
            return collect(answer, count);
        }
    }

    /** Many keys stream as Arrow batches over DoExchange, which the server answers batch by batch. */
    private OnlineFeatures exchange(List<String> features, Map<String, ? extends List<?>> entityKeys, Schema schema)
            throws Exception {
        byte[] command = json.writeValueAsBytes(Map.of("online_features", Map.of("features", List.copyOf(features))));
        try (VectorSchemaRoot keys = VectorSchemaRoot.create(schema, flight.allocator());
                FlightClient.ExchangeReaderWriter exchange = flight.client().doExchange(FlightDescriptor.command(command))) {
            int count = fill(keys, entityKeys);
            FlightClient.ClientStreamListener writer = exchange.getWriter();
            writer.start(keys);
            // putNext spins on the stream's readiness; waiting here first keeps that spin off a shared core
            for (long pause = 10_000; !writer.isReady(); pause = Math.min(pause * 2, 1_000_000)) {
                LockSupport.parkNanos(pause);
            }
            writer.putNext();
            writer.completed();
            return collect(exchange.getReader(), count);
        }
    }

    private OnlineFeatures collect(FlightStream answer, int count) throws IOException {
        List<JsonNode> rows = new ArrayList<>(count);
        Map<String, Instant> asOf = new LinkedHashMap<>();
        while (answer.next()) {
            asOf.putAll(asOf(answer.getLatestMetadata()));
            VectorSchemaRoot root = answer.getRoot();
            for (int i = 0; i < root.getRowCount(); i++) {
                ObjectNode row = JsonNodeFactory.instance.objectNode();
                for (FieldVector vector : root.getFieldVectors()) {
                    row.set(vector.getName(), value(vector, i));
                }
                rows.add(row);
            }
        }
        return new OnlineFeatures(rows, asOf);
    }

    private static boolean unavailable(FlightRuntimeException e) {
        FlightStatusCode code = e.status().code();
        String description = String.valueOf(e.status().description());
        return code == FlightStatusCode.UNAVAILABLE || code == FlightStatusCode.UNIMPLEMENTED
                || code == FlightStatusCode.INVALID_ARGUMENT && description.contains("unknown command 'online_features'");
    }

    /** One Arrow column per key column: text, 64-bit integers or booleans; null when the values are anything else. */
    private static Schema schema(Map<String, ? extends List<?>> entityKeys) {
        // What the server would refuse, it refuses in the same words over HTTP.
        if (entityKeys.isEmpty() || entityKeys.values().stream().map(List::size).distinct().count() != 1) {
            return null;
        }
        List<Field> fields = new ArrayList<>();
        for (Map.Entry<String, ? extends List<?>> column : entityKeys.entrySet()) {
            ArrowType type = null;
            for (Object value : column.getValue()) {
                ArrowType own = value == null ? null : value instanceof String ? ArrowType.Utf8.INSTANCE
                        : value instanceof Long || value instanceof Integer || value instanceof Short
                                || value instanceof Byte ? new ArrowType.Int(64, true)
                        : value instanceof Boolean ? ArrowType.Bool.INSTANCE : ArrowType.Null.INSTANCE;
                if (own instanceof ArrowType.Null || own != null && type != null && !own.equals(type)) {
                    return null;
                }
                type = own == null ? type : own;
            }
            fields.add(Field.nullable(column.getKey(), type == null ? ArrowType.Utf8.INSTANCE : type));
        }
        return new Schema(fields);
    }

    private static int fill(VectorSchemaRoot keys, Map<String, ? extends List<?>> entityKeys) {
        int count = -1;
        for (Map.Entry<String, ? extends List<?>> column : entityKeys.entrySet()) {
            List<?> values = column.getValue();
            count = values.size();
            FieldVector vector = keys.getVector(column.getKey());
            vector.setInitialCapacity(count);
            vector.allocateNew();
            for (int i = 0; i < count; i++) {
                Object value = values.get(i);
                if (value == null) {
                    vector.setNull(i);
                } else if (vector instanceof VarCharVector v) {
                    v.setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
                } else if (vector instanceof BigIntVector v) {
                    v.setSafe(i, ((Number) value).longValue());
                } else {
                    ((BitVector) vector).setSafe(i, (Boolean) value ? 1 : 0);
                }
            }
            vector.setValueCount(count);
        }
        keys.setRowCount(count);
        return count;
    }

    private Map<String, Instant> asOf(ArrowBuf metadata) throws IOException {
        Map<String, Instant> asOf = new LinkedHashMap<>();
        if (metadata == null) {
            return asOf;
        }
        byte[] bytes = new byte[(int) metadata.readableBytes()];
        metadata.getBytes(metadata.readerIndex(), bytes);
        json.readTree(bytes).path("as_of").fields()
                .forEachRemaining(e -> asOf.put(e.getKey(), Instant.parse(e.getValue().asText())));
        return asOf;
    }

    /** A value as the HTTP answer writes it: numbers, text, booleans; times and dates as ISO-8601 text. */
    private static JsonNode value(FieldVector vector, int row) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (vector.isNull(row)) {
            return nodes.nullNode();
        }
        if (vector instanceof VarCharVector v) {
            return nodes.textNode(new String(v.get(row), StandardCharsets.UTF_8));
        }
        if (vector instanceof BaseIntVector v) {
            return nodes.numberNode(v.getValueAsLong(row));
        }
        if (vector instanceof Float8Vector || vector instanceof Float4Vector) {
            double d = vector instanceof Float8Vector v ? v.get(row) : ((Float4Vector) vector).get(row);
            return Double.isNaN(d) || Double.isInfinite(d) ? nodes.nullNode() : nodes.numberNode(d);
        }
        if (vector instanceof BitVector v) {
            return nodes.booleanNode(v.get(row) != 0);
        }
        if (vector instanceof DecimalVector v) {
            BigDecimal d = v.getObject(row);
            return nodes.numberNode(d);
        }
        if (vector instanceof TimeStampVector v) {
            long raw = v.get(row);
            Instant time = switch (((ArrowType.Timestamp) v.getField().getType()).getUnit()) {
                case SECOND -> Instant.ofEpochSecond(raw);
                case MILLISECOND -> Instant.ofEpochMilli(raw);
                case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000L),
                        Math.floorMod(raw, 1_000_000L) * 1_000L);
                case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000_000L),
                        Math.floorMod(raw, 1_000_000_000L));
            };
            return nodes.textNode(time.toString());
        }
        if (vector instanceof DateDayVector v) {
            return nodes.textNode(LocalDate.ofEpochDay(v.get(row)).toString());
        }
        return nodes.textNode(String.valueOf(vector.getObject(row)));
    }
}
