package dev.fletcher.catalog.lang;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.Experiment;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.catalog.model.Metric;
import dev.fletcher.catalog.model.Monitor;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.catalog.model.Window;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns definitions into their canonical JSON and back; what persistence stores.
 *
 * <p>The JSON uses the definition language's own field names, with every default written out, so reading it
 * back goes through the same reader as a YAML bundle and cannot drift from it.
 */
public final class CatalogCodec {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    private CatalogCodec() {
    }

    /** Canonical JSON: keys sorted, defaults applied, so equal definitions give equal text. */
    public static String toJson(CatalogObject object) {
        try {
            return CANONICAL.writeValueAsString(toMap(object));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + object.key(), e);
        }
    }

    /**
     * Rebuilds a definition from {@link #toJson} text.
     *
     * @throws IllegalArgumentException when the JSON is not a valid definition of that kind
     */
    public static CatalogObject fromJson(Kind kind, String json) {
        Object tree;
        try {
            tree = CANONICAL.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (!(tree instanceof Map<?, ?> map) || !kind.id().equals(map.get("kind"))) {
            throw new IllegalArgumentException("not a " + kind.id() + " definition: " + abbreviate(json));
        }
        Node root = new Yaml().represent(tree);
        List<BundleError> errors = new ArrayList<>();
        CatalogObject object = BundleParser.readNode("stored " + kind.id() + "/" + map.get("name"), root, errors);
        if (object == null) {
            throw new IllegalArgumentException(errors.stream().map(BundleError::toString).collect(Collectors.joining("; ")));
        }
        return object;
    }

    /** The definition as YAML, as a user would write it (for GET responses that ask for YAML). */
    public static String toYaml(CatalogObject object) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        options.setSplitLines(false);
        return new Yaml(options).dump(toMap(object));
    }

    /** The definition's fields in the order a person would write them; JSON output sorts them. */
    public static Map<String, Object> toMap(CatalogObject object) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", object.kind().id());
        m.put("name", object.name());
        if (object instanceof Entity e) {
            m.put("keys", e.keys());
        } else if (object instanceof Source s) {
            source(m, s);
        } else if (object instanceof FeatureView v) {
            m.put("entity", v.entity());
            m.put("source", v.source());
            put(m, "ttl", v.ttl());
            m.put("online", v.online());
            m.put("features", v.features().stream().map(CatalogCodec::feature).toList());
        } else if (object instanceof Metric metric) {
            metric(m, metric);
        } else if (object instanceof Monitor monitor) {
            monitor(m, monitor);
        } else if (object instanceof Experiment x) {
            experiment(m, x);
        } else {
            throw new IllegalArgumentException("no codec for " + object.getClass().getName());
        }
        put(m, "description", object.description());
        if (!object.tags().isEmpty()) {
            m.put("tags", object.tags());
        }
        return m;
    }

    private static void source(Map<String, Object> m, Source s) {
        m.put("warehouse", s.warehouse());
        put(m, "table", s.table());
        put(m, "sql", s.sql());
        m.put("timestamp", s.timestamp());
        put(m, "created_timestamp", s.createdTimestamp());
        Map<String, Object> columns = new LinkedHashMap<>();
        s.entityColumns().forEach((entity, keys) -> columns.put(entity, keys.size() == 1 ? keys.get(0) : keys));
        m.put("entity_columns", columns);
        if (s.stream() != null) {
            Map<String, Object> stream = new LinkedHashMap<>();
            stream.put("plugin", s.stream().plugin());
            stream.put("topic", s.stream().topic());
            stream.put("format", s.stream().format());
            m.put("stream", stream);
        }
    }

    private static Map<String, Object> feature(Feature feature) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", feature.name());
        if (feature instanceof Feature.LatestValue f) {
            m.put("column", f.column());
        } else if (feature instanceof Feature.Aggregated f) {
            put(m, "column", f.column());
            m.put("aggregation", f.aggregation().id());
            m.put("window", f.window().text());
            put(m, "percentile", f.percentile());
            put(m, "filter", f.filter());
        } else if (feature instanceof Feature.Derived f) {
            m.put("expr", f.expr());
        }
        if (feature.type() != null) {
            m.put("type", feature.type().id());
        }
        put(m, "description", feature.description());
        return m;
    }

    private static void metric(Map<String, Object> m, Metric metric) {
        m.put("type", metric.type().id());
        if (metric instanceof Metric.Simple s) {
            m.put("source", s.source());
            put(m, "entity", s.entity());
            Map<String, Object> measure = new LinkedHashMap<>();
            measure.put("agg", s.measure().agg().id());
            put(measure, "expr", s.measure().expr());
            m.put("measure", measure);
            put(m, "filter", s.filter());
            m.put("dimensions", s.dimensions());
        } else if (metric instanceof Metric.Ratio r) {
            m.put("numerator", r.numerator());
            m.put("denominator", r.denominator());
        } else if (metric instanceof Metric.Derived d) {
            m.put("expr", d.expr());
            m.put("metrics", d.metrics().stream().map(CatalogCodec::input).toList());
        } else if (metric instanceof Metric.Cumulative c) {
            m.put("metric", c.metric());
            put(m, "window", c.window());
            if (c.grainToDate() != null) {
                m.put("grain_to_date", c.grainToDate().id());
            }
        } else if (metric instanceof Metric.Conversion c) {
            m.put("entity", c.entity());
            m.put("base", c.base());
            m.put("conversion", c.conversion());
            m.put("window", c.window().text());
        }
    }

    private static Object input(Metric.Input input) {
        if (input.offset() == null && input.alias() == null) {
            return input.metric();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", input.metric());
        put(m, "offset", input.offset());
        put(m, "alias", input.alias());
        return m;
    }

    private static void monitor(Map<String, Object> m, Monitor monitor) {
        if (monitor instanceof Monitor.Threshold t) {
            m.put("metric", t.metric());
            m.put("window", t.window().text());
            m.put("every", t.every().text());
            m.put("maturity", t.maturity().text());
            Map<String, Object> alert = new LinkedHashMap<>();
            put(alert, "below", t.alert().below());
            put(alert, "above", t.alert().above());
            m.put("alert", alert);
        } else if (monitor instanceof Monitor.Drift d) {
            put(m, "feature_view", d.featureView());
            put(m, "feature", d.feature());
            put(m, "source", d.source());
            put(m, "column", d.column());
            Map<String, Object> test = new LinkedHashMap<>();
            test.put("method", d.drift().method().id());
            test.put("baseline", d.drift().baseline().text());
            test.put("window", d.drift().window().text());
            put(test, "bins", d.drift().bins());
            test.put("threshold", d.drift().threshold());
            m.put("drift", test);
            m.put("every", d.every().text());
        }
    }

    private static void experiment(Map<String, Object> m, Experiment x) {
        m.put("entity", x.entity());
        Map<String, Object> assignments = new LinkedHashMap<>();
        assignments.put("source", x.assignments().source());
        assignments.put("variant", x.assignments().variant());
        m.put("assignments", assignments);
        m.put("control", x.control());
        m.put("window", x.window().text());
        m.put("metrics", x.metrics());
        m.put("cuped", x.cuped() == null ? (Object) false : Map.of("lookback", x.cuped().lookback().text()));
        if (!x.split().isEmpty()) {
            m.put("split", x.split());
        }
        // Written only when set, so that definitions stored before these fields existed stay unchanged.
        if (!x.guardrailMetrics().isEmpty()) {
            m.put("guardrail_metrics", x.guardrailMetrics());
        }
        if (!x.quantileMetrics().isEmpty()) {
            List<Object> quantiles = new ArrayList<>();
            for (Experiment.QuantileMetric q : x.quantileMetrics()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("metric", q.metric());
                item.put("quantile", q.quantile());
                if (q.guardrail()) {
                    item.put("guardrail", true);
                }
                quantiles.add(item);
            }
            m.put("quantile_metrics", quantiles);
        }
        if (!x.analysis().isDefault()) {
            Map<String, Object> analysis = new LinkedHashMap<>();
            if (x.analysis().sequential()) {
                analysis.put("sequential", true);
                analysis.put("tuning", x.analysis().sequentialTuning());
            }
            if (x.analysis().correction() != Experiment.Correction.NONE) {
                analysis.put("correction", x.analysis().correction().id());
            }
            Experiment.Bayesian bayesian = x.analysis().bayesian();
            if (bayesian != null) {
                Map<String, Object> prior = new LinkedHashMap<>();
                if (bayesian.proper()) {
                    prior.put("prior_mean", bayesian.priorMean());
                    prior.put("prior_sd", bayesian.priorSd());
                } else {
                    prior.put("prior", false);
                }
                analysis.put("bayesian", prior);
            }
            m.put("analysis", analysis);
        }
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value instanceof Window w) {
            m.put(key, w.text());
        } else if (value != null) {
            m.put(key, value);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
