package dev.fletcher.server.trainingset;

import static dev.fletcher.server.problem.RequestException.invalid;
import static dev.fletcher.server.problem.Subject.TRAINING_SET;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.engine.plan.UserSql;
import dev.fletcher.server.problem.RequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A training-set request as Flight commands and the REST body spell it: {@code features}, {@code timestamp_column},
 * {@code as_known}, and where the entity rows come from ({@code entities}, {@code entity_sql}, or {@code start} and
 * {@code end}; uploaded rows come with the call instead).
 *
 * @param entities the REST body's {@code {column: [values]}} object, or null
 */
public record TrainingSetSpec(List<String> features, String timestampColumn, boolean asKnown, JsonNode entities,
        String entitySql, Instant start, Instant end) {

    /** Where a spec arrives, which decides the entity-row fields it may carry. */
    public enum Form {
        /** Flight DoPut: the rows are the uploaded stream. */
        UPLOAD("the DoPut command", Set.of()),
        /** Flight GetFlightInfo and tickets: rows in the warehouse. */
        WAREHOUSE("the GetFlightInfo command", Set.of("entity_sql", "start", "end")),
        /** REST: any of the three. */
        REST("the request body", Set.of("entities", "entity_sql", "start", "end"));

        private final String where;
        private final Set<String> rowFields;

        Form(String where, Set<String> rowFields) {
            this.where = where;
            this.rowFields = rowFields;
        }
    }

    private static final Set<String> COMMON = Set.of("features", "timestamp_column", "as_known");

    /** @throws RequestException (invalid) naming the field at fault */
    public static TrainingSetSpec parse(JsonNode body, Form form) {
        if (body == null || !body.isObject()) {
            throw invalid(TRAINING_SET, form.where + " must be a JSON object such as {\"features\":"
                    + " [\"customer_profile:plan\"], \"timestamp_column\": \"event_timestamp\"}");
        }
        Set<String> known = new TreeSet<>(COMMON);
        known.addAll(form.rowFields);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                String hint = form == Form.UPLOAD && Set.of("entity_sql", "start", "end", "entities").contains(name)
                        ? " (with DoPut the entity rows are the uploaded stream; send entity_sql or start/end to"
                        + " GetFlightInfo)"
                        : form == Form.WAREHOUSE && name.equals("entities")
                        ? " (upload entity rows with DoPut)" : "";
                throw invalid(TRAINING_SET, "unknown field '" + name + "' in " + form.where + "; known fields: "
                        + String.join(", ", known) + hint);
            }
        }
        List<String> features = features(body.get("features"));
        String timestampColumn = text(body, "timestamp_column");
        JsonNode asKnownNode = body.get("as_known");
        if (asKnownNode != null && !asKnownNode.isNull() && !asKnownNode.isBoolean()) {
            throw invalid(TRAINING_SET, "as_known must be true or false, got " + asKnownNode);
        }
        boolean asKnown = asKnownNode != null && asKnownNode.asBoolean(false);
        JsonNode entities = body.get("entities");
        if (entities != null && entities.isNull()) {
            entities = null;
        }
        String entitySql = text(body, "entity_sql");
        Instant start = time(body, "start");
        Instant end = time(body, "end");
        int sources = (entities != null ? 1 : 0) + (entitySql != null ? 1 : 0) + (start != null || end != null ? 1 : 0);
        if (sources > 1) {
            throw invalid(TRAINING_SET, "give the entity rows one way only: entities, entity_sql, or start and"
                    + " end");
        }
        if (sources == 0 && form != Form.UPLOAD) {
            throw invalid(TRAINING_SET, form.where + " names no entity rows: give "
                    + (form == Form.REST ? "entities ({column: [values]}), " : "")
                    + "entity_sql (a query run in the warehouse), or start and end (every entity at each of its"
                    + " event times in [start, end))" + (form == Form.WAREHOUSE ? "; to send rows, use DoPut" : ""));
        }
        if ((start == null) != (end == null)) {
            throw invalid(TRAINING_SET, "a time range needs both start and end");
        }
        return new TrainingSetSpec(features, timestampColumn, asKnown, entities, entitySql, start, end);
    }

    private static List<String> features(JsonNode node) {
        if (node == null || node.isNull()) {
            throw invalid(TRAINING_SET, "features is missing: name at least one as <feature_view>:<feature>,"
                    + " e.g. [\"customer_profile:plan\"]");
        }
        if (!node.isArray()) {
            throw invalid(TRAINING_SET, "features must be a list of <feature_view>:<feature> strings, got "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        List<String> features = new ArrayList<>();
        for (JsonNode feature : node) {
            if (!feature.isTextual()) {
                throw invalid(TRAINING_SET, "features must be <feature_view>:<feature> strings, got " + feature);
            }
            features.add(feature.asText());
        }
        if (features.isEmpty()) {
            throw invalid(TRAINING_SET, "no features requested: name at least one as"
                    + " <feature_view>:<feature>");
        }
        return List.copyOf(features);
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid(TRAINING_SET, field + " must be a string, got " + node);
        }
        return node.asText();
    }

    private static Instant time(JsonNode body, String field) {
        String text = text(body, field);
        if (text == null) {
            return null;
        }
        try {
            return Times.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(TRAINING_SET, field + ": " + e.getMessage());
        }
    }

    /** The features as references. @throws RequestException for text not of the form view:feature */
    public List<FeatureRef> featureRefs() {
        List<FeatureRef> refs = new ArrayList<>();
        for (String feature : features) {
            try {
                refs.add(FeatureRef.parse(feature));
            } catch (IllegalArgumentException e) {
                throw invalid(TRAINING_SET, e.getMessage());
            }
        }
        return refs;
    }

    /** Where the entity rows come from when they are not uploaded: a query or a time range. */
    EntityInput warehouseInput() {
        try {
            if (entitySql != null) {
                // before any warehouse sees it: one query, nothing else
                UserSql.check("entity_sql", entitySql);
            }
            return entitySql != null ? new EntityInput.Query(entitySql) : new EntityInput.TimeRange(start, end);
        } catch (PlanException e) {
            throw invalid(TRAINING_SET, e.getMessage());
        }
    }

    TrainingSetRequest request(EntityInput input) {
        try {
            return new TrainingSetRequest(featureRefs(), input, timestampColumn, asKnown);
        } catch (PlanException e) {
            throw invalid(TRAINING_SET, e.getMessage());
        }
    }
}
