package dev.fletcher.server.online;

import static dev.fletcher.server.problem.RequestException.invalid;
import static dev.fletcher.server.problem.Subject.ONLINE;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.trainingset.PreparedTrainingSet;
import dev.fletcher.server.trainingset.RowsReader;
import dev.fletcher.server.trainingset.Times;
import dev.fletcher.server.trainingset.TrainingSets;
import dev.fletcher.spi.ArrowValues;
import dev.fletcher.spi.online.OnlineKeys;
import dev.fletcher.spi.online.OnlineView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code GET /api/v1/feature-views/{name}/consistency?sample=N}: takes keys the online store holds, reads them as
 * online reads do (derived features computed here), recomputes them as a training set at the view's {@code as_of}
 * (the entity rows uploaded like any other), and reports every feature that differs.
 */
@ApplicationScoped
public class Consistency {
    /** Floats computed in different orders may differ in the last bits; more than this is a mismatch. */
    static final double RELATIVE_TOLERANCE = 1e-9;
    private static final int LISTED = 20;

    private final OnlineFeatures online;
    private final OnlineStores stores;
    private final TrainingSets trainingSets;
    private final OnlineConfig config;

    @Inject
    public Consistency(OnlineFeatures online, OnlineStores stores, TrainingSets trainingSets, OnlineConfig config) {
        this.online = online;
        this.stores = stores;
        this.trainingSets = trainingSets;
        this.config = config;
    }

    public Map<String, Object> check(String viewName, int sample) {
        if (sample < 1 || sample > config.maxConsistencySample()) {
            throw invalid(ONLINE, "sample must be between 1 and " + config.maxConsistencySample()
                    + " (fletcher.online.max-consistency-sample), got " + sample);
        }
        Catalog current = online.catalog();
        FeatureView view = current.featureView(viewName).orElseThrow(() -> new RequestException(Reason.NOT_FOUND,
                ONLINE, "there is no feature view named '" + viewName + "' in the catalog"));
        List<FeatureRef> refs = view.features().stream().map(f -> new FeatureRef(viewName, f.name())).toList();
        OnlineFeatures.ViewRead read = online.compile(current, viewName, refs);
        OnlineView state = online.state(read);
        List<String> keys = stores.get().sampleKeys(state, sample);
        List<Object[]> onlineValues = read.values(state, online.rows(state, keys));
        Map<String, Object[]> offline = offline(current, refs, state, keys);

        List<Map<String, Object>> mismatches = new ArrayList<>();
        int mismatchedKeys = 0;
        Map<String, Integer> byFeature = new LinkedHashMap<>();
        for (int k = 0; k < keys.size(); k++) {
            Object[] expected = offline.get(keys.get(k));
            boolean mismatched = false;
            for (int f = 0; f < refs.size(); f++) {
                Object got = onlineValues.get(k)[f];
                Object want = expected == null ? null : expected[f];
                if (!same(got, want)) {
                    mismatched = true;
                    byFeature.merge(refs.get(f).feature(), 1, Integer::sum);
                    if (mismatches.size() < LISTED) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("key", keyObject(state, keys.get(k)));
                        m.put("feature", refs.get(f).feature());
                        m.put("online", jsonValue(got));
                        m.put("training_set", jsonValue(want));
                        mismatches.add(m);
                    }
                }
            }
            if (mismatched) {
                mismatchedKeys++;
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("feature_view", viewName);
        answer.put("as_of", state.asOf().toString());
        answer.put("version", state.version());
        answer.put("sampled", keys.size());
        answer.put("features", refs.size());
        answer.put("mismatched_keys", mismatchedKeys);
        answer.put("mismatch_rate", keys.isEmpty() ? 0.0 : (double) mismatchedKeys / keys.size());
        answer.put("mismatches_by_feature", byFeature);
        answer.put("mismatches", mismatches);
        return answer;
    }

    /** The features of the keys as a training set at {@code as_of} computes them, by key. */
    private Map<String, Object[]> offline(Catalog current, List<FeatureRef> refs, OnlineView state, List<String> keys) {
        Map<String, Object[]> byKey = new HashMap<>();
        if (keys.isEmpty()) {
            return byKey;
        }
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < state.keyColumns().size(); i++) {
            fields.add(new Field(state.keyColumns().get(i), FieldType.nullable(arrowType(state.keyKinds().get(i))),
                    null));
        }
        fields.add(new Field(Materializer.ANCHOR_COLUMN, FieldType.nullable(
                new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")), null));
        Schema schema = new Schema(fields);
        try (PreparedTrainingSet prepared = trainingSets.prepareRows(current, refs, Materializer.ANCHOR_COLUMN,
                allocator -> new RowsReader(allocator, schema, entityRows(allocator, schema, state, keys)));
                ArrowReader rows = prepared.run()) {
            VectorSchemaRoot batch = rows.getVectorSchemaRoot();
            while (rows.loadNextBatch()) {
                for (int row = 0; row < batch.getRowCount(); row++) {
                    List<Object> parts = new ArrayList<>();
                    for (String key : state.keyColumns()) {
                        parts.add(ArrowValues.value(batch.getVector(key), row));
                    }
                    Object[] values = new Object[refs.size()];
                    for (int f = 0; f < refs.size(); f++) {
                        values[f] = ArrowValues.value(batch.getVector(refs.get(f).column()), row);
                    }
                    byKey.put(OnlineKeys.encode(parts), values);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byKey;
    }

    private static ArrowType arrowType(String kind) {
        return switch (kind) {
            case "INTEGER" -> new ArrowType.Int(64, true);
            case "FLOATING", "DECIMAL" -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case "BOOLEAN" -> ArrowType.Bool.INSTANCE;
            case "TIMESTAMP" -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
            default -> ArrowType.Utf8.INSTANCE;
        };
    }

    private static VectorSchemaRoot entityRows(BufferAllocator allocator, Schema schema, OnlineView state,
            List<String> keys) {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        try {
            root.allocateNew();
            int keyCount = state.keyColumns().size();
            for (int row = 0; row < keys.size(); row++) {
                List<String> parts = OnlineKeys.decode(keys.get(row));
                for (int c = 0; c < keyCount; c++) {
                    FieldVector vector = root.getVector(c);
                    String part = parts.get(c);
                    if (vector instanceof BigIntVector v) {
                        v.setSafe(row, Long.parseLong(part));
                    } else if (vector instanceof Float8Vector v) {
                        v.setSafe(row, Double.parseDouble(part));
                    } else if (vector instanceof BitVector v) {
                        v.setSafe(row, Boolean.parseBoolean(part) ? 1 : 0);
                    } else if (vector instanceof TimeStampMicroTZVector v) {
                        v.setSafe(row, Times.micros(Instant.parse(part)));
                    } else {
                        ((VarCharVector) vector).setSafe(row, part.getBytes(StandardCharsets.UTF_8));
                    }
                }
                ((TimeStampMicroTZVector) root.getVector(keyCount)).setSafe(row, Times.micros(state.asOf()));
            }
            root.setRowCount(keys.size());
            return root;
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    static boolean same(Object online, Object offline) {
        if (online == null || offline == null) {
            return online == null && offline == null;
        }
        if (online instanceof Number a && offline instanceof Number b) {
            if (a instanceof Long && b instanceof Long) {
                return a.equals(b);
            }
            if (a instanceof BigDecimal || b instanceof BigDecimal) {
                return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
            }
            double x = a.doubleValue();
            double y = b.doubleValue();
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Double.isNaN(x) && Double.isNaN(y);
            }
            return x == y || Math.abs(x - y) <= RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
        }
        return online.equals(offline);
    }

    private static Object jsonValue(Object value) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return d.toString();
        }
        return value instanceof Instant || value instanceof java.time.LocalDate ? value.toString() : value;
    }

    private static Map<String, Object> keyObject(OnlineView state, String key) {
        Map<String, Object> object = new LinkedHashMap<>();
        List<String> parts = OnlineKeys.decode(key);
        for (int i = 0; i < state.keyColumns().size() && i < parts.size(); i++) {
            object.put(state.keyColumns().get(i), parts.get(i));
        }
        return object;
    }
}
