package dev.fletcher.engine.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code where} item: a dimension (or {@code metric_time__<grain>}) compared with request values. The values
 * are plain Java (String, Long, Double, Boolean) and travel as bind parameters.
 */
public record MetricFilter(String dimension, Op op, List<Object> values) {
    /** The comparisons a where item may make, by the spelling requests use. */
    public enum Op {
        EQ("=", 1), NE("!=", 1), LT("<", 1), LE("<=", 1), GT(">", 1), GE(">=", 1),
        IN("in", -1), NOT_IN("not_in", -1), IS_NULL("is_null", 0), IS_NOT_NULL("is_not_null", 0);

        private final String id;
        private final int arity;

        Op(String id, int arity) {
            this.id = id;
            this.arity = arity;
        }

        public String id() {
            return id;
        }

        /** 1: one {@code value}; -1: a non-empty list of {@code values}; 0: neither. */
        public int arity() {
            return arity;
        }

        public static Optional<Op> fromId(String id) {
            return Arrays.stream(values()).filter(o -> o.id.equals(id)).findFirst();
        }

        public static List<String> ids() {
            return Arrays.stream(values()).map(Op::id).toList();
        }
    }

    public MetricFilter {
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(op, "op");
        values = values == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
        if (op.arity() == 0 && !values.isEmpty() || op.arity() == 1 && values.size() != 1
                || op.arity() < 0 && values.isEmpty()) {
            throw new PlanException("where item on '" + dimension + "': " + shape(op));
        }
        for (Object value : values) {
            if (value == null) {
                throw new PlanException("where item on '" + dimension + "': a null never matches a comparison; use"
                        + " op is_null or is_not_null");
            }
        }
    }

    /** What a where item with this op must carry, as a user reads it. */
    public static String shape(Op op) {
        return switch (op.arity()) {
            case 0 -> "op " + op.id() + " takes no value: {\"dimension\": d, \"op\": \"" + op.id() + "\"}";
            case 1 -> "op " + op.id() + " takes one scalar \"value\": {\"dimension\": d, \"op\": \"" + op.id()
                    + "\", \"value\": v}";
            default -> "op " + op.id() + " takes a non-empty list \"values\": {\"dimension\": d, \"op\": \"" + op.id()
                    + "\", \"values\": [...]}";
        };
    }
}
