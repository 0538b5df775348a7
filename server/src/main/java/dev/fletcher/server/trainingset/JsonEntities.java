package dev.fletcher.server.trainingset;

import static dev.fletcher.server.problem.RequestException.invalid;
import static dev.fletcher.server.problem.Subject.TRAINING_SET;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Entity rows sent as JSON columns, {@code {"customer_id": ["c1", "c2"], "event_timestamp": [...]}}, turned into
 * Arrow vectors. Each column's type follows its values: strings, integers (int64), numbers (float64) or booleans;
 * the timestamp column's strings are times (timestamp[us, UTC]).
 */
final class JsonEntities {
    private enum Type {
        STRING(ArrowType.Utf8.INSTANCE), INTEGER(new ArrowType.Int(64, true)),
        NUMBER(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), BOOLEAN(ArrowType.Bool.INSTANCE),
        TIMESTAMP(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));

        final ArrowType arrow;

        Type(ArrowType arrow) {
            this.arrow = arrow;
        }
    }

    private JsonEntities() {
    }

    /**
     * @throws RequestException invalid for columns that are not lists, of unequal length, or of mixed types;
     *                              too large beyond {@code maxRows}
     */
    static Schema schema(JsonNode entities, String timestampColumn, int maxRows) {
        return new Schema(fields(entities, timestampColumn, maxRows));
    }

    private static List<Field> fields(JsonNode entities, String timestampColumn, int maxRows) {
        if (!entities.isObject() || entities.isEmpty()) {
            throw invalid(TRAINING_SET, "entities must be a JSON object of columns, {\"<column>\": [values],"
                    + " ...}, holding the key columns and the timestamp column");
        }
        List<Field> fields = new ArrayList<>();
        int rows = -1;
        String first = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = entities.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> column = it.next();
            if (!column.getValue().isArray()) {
                throw invalid(TRAINING_SET, "entities column '" + column.getKey() + "' must be a list of values,"
                        + " got " + kind(column.getValue()));
            }
            int size = column.getValue().size();
            if (size > maxRows) {
                throw new RequestException(Reason.TOO_LARGE, TRAINING_SET, "the request carries " + size
                        + " entity rows, more than the " + maxRows + " allowed in JSON"
                        + " (fletcher.training-sets.max-json-rows); send larger sets of entity rows with Arrow Flight"
                        + " DoPut, or let the warehouse select them with entity_sql");
            }
            if (rows >= 0 && size != rows) {
                throw invalid(TRAINING_SET, "entities columns differ in length: '" + first + "' has " + rows
                        + " values, '" + column.getKey() + "' has " + size + "; every column needs one value per row");
            }
            rows = size;
            first = first == null ? column.getKey() : first;
            boolean timestamp = column.getKey().equalsIgnoreCase(timestampColumn);
            fields.add(new Field(column.getKey(), FieldType.nullable(type(column.getKey(), column.getValue(), timestamp)
                    .arrow), null));
        }
        return fields;
    }

    /** The rows as vectors of {@code allocator}; the caller owns the root. */
    static VectorSchemaRoot rows(JsonNode entities, Schema schema, BufferAllocator allocator) {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        try {
            root.allocateNew();
            int rows = 0;
            for (FieldVector vector : root.getFieldVectors()) {
                JsonNode values = entities.get(vector.getName());
                rows = values.size();
                for (int row = 0; row < rows; row++) {
                    set(vector, row, values.get(row));
                }
                vector.setValueCount(rows);
            }
            root.setRowCount(rows);
            return root;
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    private static void set(FieldVector vector, int row, JsonNode value) {
        if (value.isNull()) {
            vector.setNull(row);
        } else if (vector instanceof VarCharVector strings) {
            strings.setSafe(row, value.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else if (vector instanceof BigIntVector longs) {
            longs.setSafe(row, value.asLong());
        } else if (vector instanceof Float8Vector doubles) {
            doubles.setSafe(row, value.asDouble());
        } else if (vector instanceof BitVector bits) {
            bits.setSafe(row, value.asBoolean() ? 1 : 0);
        } else if (vector instanceof TimeStampMicroTZVector times) {
            times.setSafe(row, Times.micros(Times.parse(value.asText())));
        } else {
            throw new IllegalStateException("no JSON conversion for " + vector.getField());
        }
    }

    private static Type type(String name, JsonNode values, boolean timestamp) {
        Type type = null;
        for (int row = 0; row < values.size(); row++) {
            JsonNode value = values.get(row);
            if (value.isNull()) {
                continue;
            }
            Type found;
            if (value.isTextual()) {
                found = Type.STRING;
                if (timestamp) {
                    try {
                        Times.parse(value.asText());
                    } catch (IllegalArgumentException e) {
                        throw invalid(TRAINING_SET, "timestamp column '" + name + "', row " + (row + 1) + ": "
                                + e.getMessage());
                    }
                    found = Type.TIMESTAMP;
                }
            } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                found = Type.INTEGER;
            } else if (value.isNumber()) {
                found = Type.NUMBER;
            } else if (value.isBoolean()) {
                found = Type.BOOLEAN;
            } else {
                throw invalid(TRAINING_SET, "entities column '" + name + "', row " + (row + 1) + " holds "
                        + kind(value) + "; values must be strings, numbers, booleans or null");
            }
            if (type == null || type == found) {
                type = found;
            } else if (numeric(type, found)) {
                type = Type.NUMBER;
            } else {
                throw invalid(TRAINING_SET, "entities column '" + name + "' mixes " + label(type) + " and "
                        + label(found) + " (row " + (row + 1) + "); give every value of a column the same type");
            }
        }
        if (type == null) {
            return timestamp ? Type.TIMESTAMP : Type.STRING;
        }
        return type;
    }

    /** Integers and fractions in one column make a float64 column. */
    private static boolean numeric(Type a, Type b) {
        return (a == Type.INTEGER || a == Type.NUMBER) && (b == Type.INTEGER || b == Type.NUMBER);
    }

    private static String label(Type type) {
        return switch (type) {
            case STRING -> "strings";
            case INTEGER -> "integers";
            case NUMBER -> "numbers";
            case BOOLEAN -> "booleans";
            case TIMESTAMP -> "times";
        };
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
