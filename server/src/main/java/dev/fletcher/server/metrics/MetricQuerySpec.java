package dev.fletcher.server.metrics;

import static dev.fletcher.server.problem.RequestException.invalid;
import static dev.fletcher.server.problem.Subject.METRICS_QUERY;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fletcher.engine.plan.MetricFilter;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.MetricQuery;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.server.problem.RequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads the body of {@code POST /api/v1/metrics/query} (CONTRACT §7) into a {@link MetricQuery}. */
public final class MetricQuerySpec {
    private static final Set<String> FIELDS = new TreeSet<>(Set.of("metrics", "group_by", "where", "start", "end",
            "fill", "order_by", "limit"));
    private static final Set<String> WHERE_FIELDS = new TreeSet<>(Set.of("dimension", "op", "value", "values"));

    private MetricQuerySpec() {
    }

    /** @throws RequestException (invalid) naming the field at fault */
    public static MetricQuery parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid(METRICS_QUERY, "the request body must be a JSON object such as {\"metrics\": [\"revenue\"],"
                    + " \"group_by\": [\"metric_time__day\"]}");
        }
        known(body, FIELDS, "the request body");
        List<String> metrics = names(body.get("metrics"), "metrics");
        if (metrics.isEmpty()) {
            throw invalid(METRICS_QUERY, "metrics is required: a list of metric names, e.g. [\"revenue\"]");
        }
        try {
            return new MetricQuery(metrics, names(body.get("group_by"), "group_by"), where(body.get("where")),
                    time(body, "start"), time(body, "end"), bool(body, "fill"), names(body.get("order_by"), "order_by"),
                    limit(body.get("limit")), false);
        } catch (PlanException e) {
            throw invalid(METRICS_QUERY, e.getMessage());
        }
    }

    private static List<MetricFilter> where(JsonNode where) {
        List<MetricFilter> filters = new ArrayList<>();
        if (where == null || where.isNull()) {
            return filters;
        }
        if (where.isObject()) {
            // Shorthand: {"country": "DE"} is =, {"country": ["DE", "FR"]} is in.
            for (Iterator<Map.Entry<String, JsonNode>> fields = where.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                filters.add(value.isArray() ? new MetricFilter(field.getKey(), MetricFilter.Op.IN, scalars(value,
                        "where." + field.getKey())) : new MetricFilter(field.getKey(), MetricFilter.Op.EQ,
                        List.of(scalar(value, "where." + field.getKey()))));
            }
            return filters;
        }
        if (!where.isArray()) {
            throw invalid(METRICS_QUERY, "where must be a list of items such as {\"dimension\": \"country\","
                    + " \"op\": \"in\", \"values\": [\"DE\", \"FR\"]}");
        }
        for (int i = 0; i < where.size(); i++) {
            JsonNode item = where.get(i);
            String at = "where[" + i + "]";
            if (!item.isObject()) {
                throw invalid(METRICS_QUERY, at + " must be an object {\"dimension\": d, \"op\": o, \"value\": v}");
            }
            known(item, WHERE_FIELDS, at);
            JsonNode dimension = item.get("dimension");
            if (dimension == null || !dimension.isTextual()) {
                throw invalid(METRICS_QUERY, at + ".dimension is required: the dimension's name");
            }
            JsonNode opNode = item.get("op");
            if (opNode == null || !opNode.isTextual()) {
                throw invalid(METRICS_QUERY, at + ".op is required: one of " + String.join(" ",
                        MetricFilter.Op.ids()));
            }
            MetricFilter.Op op = MetricFilter.Op.fromId(opNode.asText()).orElseThrow(() -> invalid(METRICS_QUERY,
                    at + ".op '" + opNode.asText() + "' is not an op: use one of " + String.join(" ",
                            MetricFilter.Op.ids())));
            boolean hasValue = item.has("value");
            boolean hasValues = item.has("values");
            String shape = at + ": " + MetricFilter.shape(op);
            List<Object> values;
            if (op.arity() == 0) {
                if (hasValue || hasValues) {
                    throw invalid(METRICS_QUERY, shape);
                }
                values = List.of();
            } else if (op.arity() == 1) {
                if (!hasValue || hasValues) {
                    throw invalid(METRICS_QUERY, shape);
                }
                values = List.of(scalar(item.get("value"), at + ".value"));
            } else {
                if (hasValue || !hasValues || !item.get("values").isArray() || item.get("values").isEmpty()) {
                    throw invalid(METRICS_QUERY, shape);
                }
                values = scalars(item.get("values"), at + ".values");
            }
            filters.add(new MetricFilter(dimension.asText(), op, values));
        }
        return filters;
    }

    private static List<Object> scalars(JsonNode list, String at) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            values.add(scalar(list.get(i), at + "[" + i + "]"));
        }
        return values;
    }

    private static Object scalar(JsonNode value, String at) {
        if (value == null || value.isNull()) {
            throw invalid(METRICS_QUERY, at + " is null, which matches nothing; use op is_null or is_not_null");
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        throw invalid(METRICS_QUERY, at + " must be a string, number or boolean, not " + value);
    }

    private static List<String> names(JsonNode node, String field) {
        List<String> names = new ArrayList<>();
        if (node == null || node.isNull()) {
            return names;
        }
        if (!node.isArray()) {
            throw invalid(METRICS_QUERY, field + " must be a list of names, got " + node);
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw invalid(METRICS_QUERY, field + " must hold names (strings), got " + item);
            }
            names.add(item.asText());
        }
        return names;
    }

    private static Instant time(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid(METRICS_QUERY, field + " must be a time string such as \"2026-03-01\", got " + node);
        }
        try {
            return MetricPlanner.time(node.asText(), field);
        } catch (PlanException e) {
            throw invalid(METRICS_QUERY, e.getMessage());
        }
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw invalid(METRICS_QUERY, field + " must be true or false, got " + node);
        }
        return node.asBoolean();
    }

    private static Long limit(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw invalid(METRICS_QUERY, "limit must be a whole number of rows, zero or more, got " + node);
        }
        return node.asLong();
    }

    private static void known(JsonNode node, Set<String> fields, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw invalid(METRICS_QUERY, "unknown field '" + name + "' in " + where + "; known fields: "
                        + String.join(", ", fields));
            }
        }
    }
}
