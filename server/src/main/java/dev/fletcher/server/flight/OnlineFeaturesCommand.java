package dev.fletcher.server.flight;

import static dev.fletcher.server.problem.RequestException.invalid;
import static dev.fletcher.server.problem.Subject.ONLINE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.arrow.VectorValues;
import dev.fletcher.server.auth.Role;
import dev.fletcher.server.online.OnlineFeatures;
import dev.fletcher.server.trainingset.PreparedTrainingSet;
import dev.fletcher.server.trainingset.TrainingSets;
import dev.fletcher.spi.ArrowValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The {@code online_features} command: online reads over Arrow Flight, for services that want a binary answer.
 * <ul>
 *   <li>DoGet: the ticket is {@code {"online_features": {"features": [...], "entities": {"customer_id": [...]}}}},
 *       the body of {@code POST /api/v1/online/features}; one call, one answer batch. This is the quick way for a
 *       few keys: the request travels in the call's one message.</li>
 *   <li>DoExchange: the descriptor command is {@code {"online_features": {"features": ["view:feature", ...]}}}; the
 *       client streams entity key columns, and for every batch (split at {@code fletcher.online.max-entities} rows)
 *       the server answers one batch.</li>
 * </ul>
 * An answer batch holds the key columns as sent, then one column per feature named {@code <view>__<feature>}, with
 * the same values, nulls and checks as the HTTP read, and app metadata {@code {"as_of": {"<view>": "<time>"}}}.
 * Feature columns have the types the training set gives the same features.
 */
@ApplicationScoped
public class OnlineFeaturesCommand implements FlightCommandHandler {
    static final String KEY = "online_features";

    private final OnlineFeatures online;
    private final TrainingSets trainingSets;
    private final ArrowMemory memory;
    private final ObjectMapper json;
    /** The feature columns' fields per requested feature list, for the catalog they were described from. */
    private final Map<List<FeatureRef>, List<Field>> fields = new ConcurrentHashMap<>();
    private volatile Catalog described;

    @Inject
    public OnlineFeaturesCommand(OnlineFeatures online, TrainingSets trainingSets, ArrowMemory memory,
            ObjectMapper json) {
        this.online = online;
        this.trainingSets = trainingSets;
        this.memory = memory;
        this.json = json;
    }

    @Override
    public Role role() {
        return Role.READER;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public void doExchange(JsonNode body, FlightStream in, FlightProducer.ServerStreamListener out,
            FlightProducer.CallContext context) {
        List<FeatureRef> features = features(body);
        Schema keys = in.getSchema();
        for (Field field : keys.getFields()) {
            if (!(field.getType() instanceof ArrowType.Utf8 || field.getType() instanceof ArrowType.Int
                    || field.getType() instanceof ArrowType.Bool)) {
                throw invalid(ONLINE, "entity column '" + field.getName() + "' is " + field.getType()
                        + "; key columns are strings (utf8), integers or booleans");
            }
        }
        List<Field> featureFields = featureFields(features);
        List<Field> answerFields = new ArrayList<>(keys.getFields());
        answerFields.addAll(featureFields);
        try (BufferAllocator allocator = memory.child("online exchange");
                VectorSchemaRoot answer = VectorSchemaRoot.create(new Schema(answerFields), allocator)) {
            out.start(answer);
            int chunk = Math.max(1, online.maxEntities());
            while (in.next()) {
                VectorSchemaRoot batch = in.getRoot();
                for (int from = 0; from < batch.getRowCount(); from += chunk) {
                    int rows = Math.min(chunk, batch.getRowCount() - from);
                    OnlineFeatures.Answer found = read(features, batch, from, rows);
                    fill(answer, batch, from, rows, found);
                    try (ArrowBuf metadata = metadata(allocator, found.asOf())) {
                        metadata.getReferenceManager().retain();
                        out.putNext(metadata);
                    }
                }
            }
            out.completed();
        }
    }

    @Override
    public void getStream(JsonNode body, Ticket ticket, FlightProducer.ServerStreamListener out,
            FlightProducer.CallContext context) {
        OnlineFeatures.Request request = online.request(body);
        List<Field> answerFields = new ArrayList<>();
        request.entities().forEach((column, values) -> answerFields.add(Field.nullable(column, keyType(column, values))));
        answerFields.addAll(featureFields(request.features()));
        OnlineFeatures.Answer found = join(online.readAsync(request));
        try (BufferAllocator allocator = memory.child("online get");
                VectorSchemaRoot answer = VectorSchemaRoot.create(new Schema(answerFields), allocator)) {
            int column = 0;
            for (List<Object> values : request.entities().values()) {
                fillColumn(answer.getVector(column++), request.count(), values::get);
            }
            fillFeatures(answer, column, request.count(), found);
            out.start(answer);
            try (ArrowBuf metadata = metadata(allocator, found.asOf())) {
                metadata.getReferenceManager().retain();
                out.putNext(metadata);
            }
            out.completed();
        }
    }

    /** One Arrow type per key column of a ticket: text, 64-bit integers, floats or booleans, not mixed. */
    private static ArrowType keyType(String column, List<Object> values) {
        Class<?> seen = null;
        for (Object value : values) {
            if (value == null) {
                continue;
            }
            if (seen != null && seen != value.getClass()) {
                throw invalid(ONLINE, "entities column '" + column + "' mixes " + kind(seen) + " and " + kind(value
                        .getClass()) + " values; over Flight a key column holds values of one type");
            }
            seen = value.getClass();
        }
        return seen == Long.class ? new ArrowType.Int(64, true)
                : seen == Double.class ? new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)
                : seen == Boolean.class ? ArrowType.Bool.INSTANCE : ArrowType.Utf8.INSTANCE;
    }

    private static String kind(Class<?> type) {
        return type == Long.class ? "integer" : type == Double.class ? "decimal" : type == Boolean.class ? "boolean"
                : "text";
    }

    private static OnlineFeatures.Answer join(CompletionStage<OnlineFeatures.Answer> read) {
        try {
            return read.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static List<FeatureRef> features(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid(ONLINE, "the online_features command must be a JSON object: {\"online_features\":"
                    + " {\"features\": [\"customer_profile:plan\"]}}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("features")) {
                throw invalid(ONLINE, "unknown field '" + name + "' in the online_features command; known fields:"
                        + " features (the entity keys are the stream's columns)");
            }
        }
        return OnlineFeatures.features(body.get("features"));
    }

    /**
     * The features' fields as the training set types them, described by the warehouse once per catalog version and
     * feature list (no rows are read).
     */
    private List<Field> featureFields(List<FeatureRef> features) {
        Catalog catalog = online.catalog();
        if (catalog != described) {
            fields.clear();
            described = catalog;
        }
        List<Field> known = fields.get(features);
        if (known != null) {
            return known;
        }
        Instant now = Instant.now();
        Schema schema;
        try (PreparedTrainingSet prepared = trainingSets.prepare(catalog, new TrainingSetRequest(features,
                new EntityInput.TimeRange(now.minusSeconds(1), now), null, false))) {
            schema = prepared.schema();
        }
        List<Field> result = new ArrayList<>();
        for (FeatureRef feature : features) {
            Field field = schema.findField(feature.column());
            result.add(new Field(feature.column(), FieldType.nullable(field.getType()), field.getChildren()));
        }
        if (fields.size() > 1_000) {
            fields.clear();
        }
        fields.put(List.copyOf(features), List.copyOf(result));
        return result;
    }

    private OnlineFeatures.Answer read(List<FeatureRef> features, VectorSchemaRoot batch, int from, int rows) {
        Map<String, List<Object>> entities = new LinkedHashMap<>();
        for (FieldVector vector : batch.getFieldVectors()) {
            List<Object> values = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                values.add(ArrowValues.value(vector, from + i));
            }
            entities.put(vector.getName(), values);
        }
        return join(online.readAsync(new OnlineFeatures.Request(features, entities, rows)));
    }

    private static void fill(VectorSchemaRoot answer, VectorSchemaRoot batch, int from, int rows,
            OnlineFeatures.Answer found) {
        answer.clear();
        int keyColumns = batch.getFieldVectors().size();
        for (int c = 0; c < keyColumns; c++) {
            FieldVector target = answer.getVector(c);
            FieldVector source = batch.getVector(c);
            target.setInitialCapacity(rows);
            target.allocateNew();
            for (int i = 0; i < rows; i++) {
                target.copyFromSafe(from + i, i, source);
            }
            target.setValueCount(rows);
        }
        fillFeatures(answer, keyColumns, rows, found);
    }

    /** The feature columns, after the {@code keyColumns} key columns, and the row count of {@code answer}. */
    private static void fillFeatures(VectorSchemaRoot answer, int keyColumns, int rows, OnlineFeatures.Answer found) {
        List<FeatureRef> features = found.request().features();
        for (int f = 0; f < features.size(); f++) {
            Object[] values = found.values().get(features.get(f));
            fillColumn(answer.getVector(keyColumns + f), rows, i -> values[i]);
        }
        answer.setRowCount(rows);
    }

    private static void fillColumn(FieldVector target, int rows, IntFunction<Object> value) {
        target.setInitialCapacity(rows);
        target.allocateNew();
        for (int i = 0; i < rows; i++) {
            VectorValues.set(target, i, value.apply(i));
        }
        target.setValueCount(rows);
    }

    private ArrowBuf metadata(BufferAllocator allocator, Map<String, Instant> asOf) {
        ObjectNode node = json.createObjectNode();
        ObjectNode views = node.putObject("as_of");
        asOf.forEach((view, time) -> views.put(view, time.toString()));
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ArrowBuf buffer = allocator.buffer(bytes.length);
        buffer.writeBytes(bytes);
        return buffer;
    }
}
