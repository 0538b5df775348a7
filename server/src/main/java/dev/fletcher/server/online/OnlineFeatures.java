package dev.fletcher.server.online;

import static dev.fletcher.server.problem.RequestException.invalid;
import static dev.fletcher.server.problem.Subject.ONLINE;

import dev.fletcher.engine.eval.DerivedExpression;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.catalog.persistence.CatalogSnapshot;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.engine.plan.ResolvedTrainingSet;
import dev.fletcher.engine.plan.ResolvedView;
import dev.fletcher.engine.plan.TrainingSetPlanner;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.server.catalog.CatalogService;
import dev.fletcher.server.metrics.JsonRows;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.online.OnlineKeys;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineStoreUnavailableException;
import dev.fletcher.spi.online.OnlineView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Online reads: {@code POST /api/v1/online/features}. Each requested view's rows come from the online store in one
 * batched read; derived features are computed here from the stored values ({@link DerivedExpression}); an entity the
 * store does not hold gets nulls. Every answer names, per view, the watermark its values are as of.
 */
@ApplicationScoped
public class OnlineFeatures {
    private final CatalogService catalog;
    private final OnlineStores stores;
    private final Warehouses warehouses;
    private final OnlineConfig config;
    /** Compiled reads by their features (all of one view, in request order): records, so no key is built per read. */
    private final Map<List<FeatureRef>, ViewRead> reads = new ConcurrentHashMap<>();
    private final JsonFactory jsonFactory;
    private volatile CatalogSnapshot snapshot;

    @Inject
    public OnlineFeatures(CatalogService catalog, OnlineStores stores, Warehouses warehouses, OnlineConfig config,
            ObjectMapper mapper) {
        this.jsonFactory = mapper.getFactory();
        this.catalog = catalog;
        this.stores = stores;
        this.warehouses = warehouses;
        this.config = config;
    }

    /** The current catalog; the compiled reads are dropped when its version changes. */
    public Catalog catalog() {
        CatalogSnapshot current = catalog.current();
        if (current != snapshot) {
            synchronized (this) {
                if (current != snapshot) {
                    snapshot = current;
                    reads.clear();
                }
            }
        }
        return current.catalog();
    }

    /**
     * Some features of one view, checked and compiled: which stored values they need and how the derived ones are
     * computed from them.
     */
    static final class ViewRead {
        final FeatureView view;
        final Entity entity;
        final String fingerprint;
        final List<String> requested;
        /** The stored features the request needs, by their slot in the view. */
        final List<String> neededStored = new ArrayList<>();
        final List<Integer> neededSlots = new ArrayList<>();
        final List<Integer> derivedSlots = new ArrayList<>();
        final List<DerivedExpression> derived = new ArrayList<>();
        final int[] requestedSlots;

        ViewRead(FeatureView view, Entity entity, Source source, ResolvedView resolved, boolean truncating) {
            this.view = view;
            this.entity = entity;
            this.fingerprint = Fingerprints.of(view, entity, source);
            Map<String, Integer> slots = new HashMap<>();
            for (int i = 0; i < view.features().size(); i++) {
                slots.put(view.features().get(i).name(), i);
            }
            for (Feature feature : resolved.computed()) {
                neededStored.add(feature.name());
                neededSlots.add(slots.get(feature.name()));
            }
            for (List<Feature.Derived> layer : resolved.derivedLayers()) {
                for (Feature.Derived feature : layer) {
                    try {
                        derived.add(DerivedExpression.compile(feature.expr(), name -> slots.getOrDefault(name, -1),
                                truncating));
                    } catch (IllegalArgumentException e) {
                        throw invalid(ONLINE, "derived feature '" + feature.name() + "' of feature view '"
                                + view.name() + "' cannot be computed online: " + e.getMessage() + " (in \""
                                + feature.expr() + "\")");
                    }
                    derivedSlots.add(slots.get(feature.name()));
                }
            }
            this.requested = resolved.requested().stream().map(Feature::name).toList();
            this.requestedSlots = requested.stream().mapToInt(slots::get).toArray();
        }

        /** Per key, the requested features' values (all null for a key the store does not hold). */
        List<Object[]> values(OnlineView state, List<Object[]> rows) {
            int[] stored = new int[neededStored.size()];
            for (int i = 0; i < stored.length; i++) {
                stored[i] = state.indexOf(neededStored.get(i));
            }
            List<Object[]> out = new ArrayList<>(rows.size());
            Object[] slots = new Object[view.features().size()];
            for (Object[] row : rows) {
                Object[] values = new Object[requestedSlots.length];
                if (row != null) {
                    for (int i = 0; i < stored.length; i++) {
                        slots[neededSlots.get(i)] = row[stored[i]];
                    }
                    for (int i = 0; i < derived.size(); i++) {
                        Object value;
                        try {
                            value = derived.get(i).evaluate(slots);
                        } catch (RuntimeException e) {
                            value = null;
                        }
                        slots[derivedSlots.get(i)] = value;
                    }
                    for (int i = 0; i < values.length; i++) {
                        values[i] = slots[requestedSlots[i]];
                    }
                }
                out.add(values);
            }
            return out;
        }
    }

    /** The compiled read of these features of one view (cached per catalog version). */
    ViewRead compile(Catalog current, String viewName, List<FeatureRef> refs) {
        ViewRead read = reads.get(refs);
        if (read != null) {
            return read;
        }
        ResolvedTrainingSet resolved;
        try {
            resolved = TrainingSetPlanner.resolve(current,
                    new TrainingSetRequest(refs, new EntityInput.Table("online"), null, false));
        } catch (PlanException e) {
            throw invalid(ONLINE, e.getMessage());
        }
        ResolvedView view = resolved.views().get(0);
        if (!view.view().online()) {
            throw invalid(ONLINE, "feature view '" + viewName + "' is not online: set online: true in its"
                    + " definition, apply it and materialize it");
        }
        boolean truncating;
        try {
            truncating = warehouses.get(view.source().warehouse()).dialect().integerDivisionTruncates();
        } catch (PluginException e) {
            throw invalid(ONLINE, e.getMessage());
        }
        read = new ViewRead(view.view(), view.entity(), view.source(), view, truncating);
        if (reads.size() > 1_000) {
            reads.clear();
        }
        reads.put(List.copyOf(refs), read);
        return read;
    }

    /** The published state the read is served from; refuses one computed from other definitions. */
    OnlineView state(ViewRead read) {
        return checked(read, stores.get().view(read.view.name()).orElse(null));
    }

    private static OnlineView checked(ViewRead read, OnlineView state) {
        if (state == null) {
            throw new RequestException(Reason.NOT_MATERIALIZED, ONLINE, "feature view '" + read.view.name()
                    + "' has no online values yet: materialize it (POST /api/v1/materialize {\"feature_views\": [\""
                    + read.view.name() + "\"]})");
        }
        if (!state.fingerprint().equals(read.fingerprint)) {
            throw new RequestException(Reason.NOT_MATERIALIZED, ONLINE, "feature view '" + read.view.name()
                    + "' changed after its online values were computed (as of " + state.asOf() + "): materialize it"
                    + " again");
        }
        return state;
    }

    /** Reads the stored rows of the keys. */
    List<Object[]> rows(OnlineView state, List<String> keys) {
        return stores.get().read(state, keys);
    }

    /** A checked request: the features and, per key column, the entities' values (all columns of one length). */
    public record Request(List<FeatureRef> features, Map<String, List<Object>> entities, int count) {
    }

    /**
     * What a read found: per requested feature, its value for each entity (null where the store holds none), and
     * per view the watermark its values are as of.
     */
    public record Answer(Request request, Map<FeatureRef, Object[]> values, Map<String, Instant> asOf) {
    }

    /**
     * Starts a read for a {@code POST /api/v1/online/features} body (see {@link #readAsync(Request)}): the answer,
     * {@code {"rows": [...], "as_of": {...}}}, is written straight to JSON text with no tree in between.
     */
    public CompletionStage<byte[]> readJsonAsync(JsonNode body) {
        return readAsync(request(body)).thenApply(this::jsonBytes);
    }

    /**
     * Checks a request in the shape of the {@code POST /api/v1/online/features} body: {@code {"features": [...],
     * "entities": {"<key column>": [...]}}}.
     */
    public Request request(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid(ONLINE, "the request body must be a JSON object: {\"features\":"
                    + " [\"customer_profile:plan\"], \"entities\": {\"customer_id\": [\"c1\"]}}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("features") && !name.equals("entities")) {
                throw invalid(ONLINE, "unknown field '" + name + "' in the request body; known fields:"
                        + " entities, features");
            }
        }
        List<FeatureRef> refs = features(body.get("features"));
        Map<String, List<Object>> entities = new LinkedHashMap<>();
        int count = entities(body.get("entities"), entities);
        return new Request(refs, entities, count);
    }

    /**
     * The number of entities a request may name at once; {@code fletcher.online.max-entities}.
     */
    public int maxEntities() {
        return config.maxEntities();
    }

    /**
     * Checks the request and starts one store read per view here; the answer is built when the last read arrives,
     * on the store's thread, so no thread waits for the store. Fails with {@link RequestException}, or with
     * {@link OnlineStoreUnavailableException} while the store cannot be reached.
     */
    public CompletionStage<Answer> readAsync(Request request) {
        if (request.count() > config.maxEntities()) {
            throw invalid(ONLINE, "the request asks for " + request.count() + " entities, more than the "
                    + config.maxEntities() + " allowed (fletcher.online.max-entities); split it");
        }
        Catalog current = catalog();
        Map<String, List<FeatureRef>> byView = new LinkedHashMap<>();
        for (FeatureRef ref : request.features()) {
            byView.computeIfAbsent(ref.view(), v -> new ArrayList<>()).add(ref);
        }
        List<ViewRead> reads = new ArrayList<>();
        List<List<String>> keys = new ArrayList<>();
        List<CompletableFuture<OnlineView>> states = new ArrayList<>();
        OnlineStore store = stores.get();
        for (Map.Entry<String, List<FeatureRef>> entry : byView.entrySet()) {
            ViewRead read = compile(current, entry.getKey(), entry.getValue());
            keys.add(keys(read, request.entities(), request.count()));
            reads.add(read);
            // the published states are held in memory, so these are done at once but every little while
            states.add(store.viewAsync(read.view.name()).toCompletableFuture()
                    .thenApply(found -> checked(read, found.orElse(null))));
        }
        // then every view's rows in one round trip to the store
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        CompletableFuture.allOf(states.toArray(CompletableFuture[]::new))
                .thenCompose(done -> store.readAllAsync(states.stream().map(CompletableFuture::join).toList(), keys))
                .whenComplete((rows, failure) -> {
                    try {
                        if (failure != null) {
                            Throwable cause = failure instanceof java.util.concurrent.CompletionException
                                    && failure.getCause() != null ? failure.getCause() : failure;
                            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
                        }
                        answer.complete(collect(request, byView, reads, states, rows));
                    } catch (RuntimeException e) {
                        answer.completeExceptionally(e);
                    }
                });
        return answer;
    }

    private static Answer collect(Request request, Map<String, List<FeatureRef>> byView, List<ViewRead> reads,
            List<CompletableFuture<OnlineView>> states, List<List<Object[]>> stored) {
        int count = request.count();
        Map<FeatureRef, Object[]> columnValues = new HashMap<>();
        Map<String, Instant> asOf = new LinkedHashMap<>();
        int v = 0;
        for (Map.Entry<String, List<FeatureRef>> entry : byView.entrySet()) {
            OnlineView state = states.get(v).join();
            List<Object[]> values = reads.get(v).values(state, stored.get(v));
            asOf.put(entry.getKey(), state.asOf());
            for (int f = 0; f < entry.getValue().size(); f++) {
                Object[] column = new Object[count];
                for (int i = 0; i < count; i++) {
                    column[i] = values.get(i)[f];
                }
                columnValues.put(entry.getValue().get(f), column);
            }
            v++;
        }
        return new Answer(request, columnValues, asOf);
    }

    /** The REST answer: each row the entity's keys then its features, then per view the time its values are as of. */
    private byte[] jsonBytes(Answer found) {
        Request request = found.request();
        List<Object[]> columns = new ArrayList<>(request.features().size());
        for (FeatureRef ref : request.features()) {
            columns.add(found.values().get(ref));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 48 * request.count() * (1 + columns.size()));
        try (JsonGenerator json = jsonFactory.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("rows");
            for (int i = 0; i < request.count(); i++) {
                json.writeStartObject();
                for (Map.Entry<String, List<Object>> key : request.entities().entrySet()) {
                    write(json, key.getKey(), key.getValue().get(i));
                }
                for (int f = 0; f < columns.size(); f++) {
                    write(json, request.features().get(f).column(), columns.get(f)[i]);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeObjectFieldStart("as_of");
            for (Map.Entry<String, Instant> view : found.asOf().entrySet()) {
                json.writeStringField(view.getKey(), view.getValue().toString());
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One field: numbers as numbers (NaN and infinities as null), booleans as booleans, the rest as text. */
    private static void write(JsonGenerator json, String field, Object value) throws IOException {
        json.writeFieldName(field);
        JsonRows.write(value, json);
    }

    /**
     * Parses and checks a request's {@code features}: a list of {@code <feature_view>:<feature>} strings, each once.
     *
     * @throws RequestException for a missing or malformed list or a repeated reference
     */
    public static List<FeatureRef> features(JsonNode node) {
        if (node == null || node.isNull()) {
            throw invalid(ONLINE, "features is missing: name at least one as <feature_view>:<feature>, e.g."
                    + " [\"customer_profile:plan\"]");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw invalid(ONLINE, "features must be a non-empty list of <feature_view>:<feature> strings");
        }
        List<FeatureRef> refs = new ArrayList<>();
        for (JsonNode feature : node) {
            if (!feature.isTextual()) {
                throw invalid(ONLINE, "features must be <feature_view>:<feature> strings, got " + feature);
            }
            FeatureRef ref;
            try {
                ref = FeatureRef.parse(feature.asText());
            } catch (IllegalArgumentException e) {
                throw invalid(ONLINE, e.getMessage());
            }
            if (refs.contains(ref)) {
                throw invalid(ONLINE, "feature " + ref + " is requested twice");
            }
            refs.add(ref);
        }
        return refs;
    }

    private int entities(JsonNode node, Map<String, List<Object>> into) {
        if (node == null || node.isNull() || !node.isObject() || node.isEmpty()) {
            throw invalid(ONLINE, "entities must be a JSON object of key columns, {\"customer_id\": [\"c1\","
                    + " \"c2\"]}");
        }
        int count = -1;
        String first = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> column = it.next();
            if (!column.getValue().isArray()) {
                throw invalid(ONLINE, "entities column '" + column.getKey() + "' must be a list of values");
            }
            int size = column.getValue().size();
            if (size > config.maxEntities()) {
                throw invalid(ONLINE, "the request asks for " + size + " entities, more than the "
                        + config.maxEntities() + " allowed (fletcher.online.max-entities); split it");
            }
            if (count >= 0 && size != count) {
                throw invalid(ONLINE, "entities columns differ in length: '" + first + "' has " + count
                        + " values, '" + column.getKey() + "' has " + size);
            }
            count = size;
            first = first == null ? column.getKey() : first;
            List<Object> values = new ArrayList<>(size);
            for (JsonNode value : column.getValue()) {
                if (value.isNull()) {
                    values.add(null);
                } else if (value.isTextual()) {
                    values.add(value.asText());
                } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                    values.add(value.asLong());
                } else if (value.isNumber()) {
                    values.add(value.asDouble());
                } else if (value.isBoolean()) {
                    values.add(value.asBoolean());
                } else {
                    throw invalid(ONLINE, "entities column '" + column.getKey() + "' holds "
                            + (value.isArray() ? "a list" : value.isObject() ? "an object" : "a " + value.getNodeType())
                            + "; key values are strings, numbers, booleans or null");
                }
            }
            into.put(column.getKey(), values);
        }
        return count;
    }

    private static List<String> keys(ViewRead read, Map<String, List<Object>> entities, int count) {
        List<List<Object>> columns = new ArrayList<>();
        for (String key : read.entity.keys()) {
            List<Object> column = entities.get(key);
            if (column == null) {
                throw invalid(ONLINE, "the entities lack key column '" + key + "' of entity '"
                        + read.entity.name() + "' (needed by feature view '" + read.view.name() + "'); sent: "
                        + String.join(", ", entities.keySet()));
            }
            columns.add(column);
        }
        List<String> keys = new ArrayList<>(count);
        List<Object> parts = new ArrayList<>(columns.size());
        for (int i = 0; i < count; i++) {
            parts.clear();
            for (List<Object> column : columns) {
                parts.add(column.get(i));
            }
            keys.add(OnlineKeys.encode(parts));
        }
        return keys;
    }
}
