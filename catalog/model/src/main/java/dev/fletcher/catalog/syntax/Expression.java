package dev.fletcher.catalog.syntax;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A derived expression as read by {@link ExpressionParser}: the part of SQL that derived features and stream filters
 * are written in, one language for the warehouse, the online evaluator and the stream evaluator.
 */
public sealed interface Expression {

    /** A number (Long or Double), a string, TRUE/FALSE or NULL (a null {@code value}). */
    record Literal(Object value) implements Expression {
    }

    /** A reference to a feature (or column); {@code quoted} when written in double quotes, which keeps its case. */
    record Name(String name, boolean quoted) implements Expression {
        public Name {
            Objects.requireNonNull(name, "name");
        }
    }

    /** {@code -x} or {@code NOT x}. */
    record Unary(UnaryOperator operator, Expression operand) implements Expression {
    }

    /** Arithmetic, concatenation, comparison and the logical AND/OR. */
    record Binary(BinaryOperator operator, Expression left, Expression right) implements Expression {
    }

    record IsNull(Expression operand, boolean negated) implements Expression {
    }

    record Between(Expression operand, Expression low, Expression high, boolean negated) implements Expression {
    }

    record In(Expression operand, List<Expression> items, boolean negated) implements Expression {
        public In {
            items = List.copyOf(items);
        }
    }

    /** {@code CASE [subject] WHEN .. THEN .. [ELSE ..] END}; {@code subject} and {@code otherwise} may be null. */
    record Case(Expression subject, List<When> branches, Expression otherwise) implements Expression {
        public Case {
            branches = List.copyOf(branches);
        }
    }

    record When(Expression when, Expression then) {
    }

    /** {@code CAST(x AS type)} or {@code x::type}, the type read as one of the kinds values have. */
    record Cast(Expression operand, CastType type) implements Expression {
    }

    /** A call of one of the language's functions (lower case), with its arity already checked. */
    record Call(String function, List<Expression> arguments) implements Expression {
        public Call {
            arguments = List.copyOf(arguments);
        }
    }

    enum UnaryOperator { NEGATE, NOT }

    enum BinaryOperator {
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/"), MODULO("%"), CONCAT("||"),
        EQUAL("="), NOT_EQUAL("<>"), LESS("<"), LESS_OR_EQUAL("<="), GREATER(">"), GREATER_OR_EQUAL(">="),
        AND("AND"), OR("OR");

        private final String symbol;

        BinaryOperator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean isComparison() {
            return ordinal() >= EQUAL.ordinal() && ordinal() <= GREATER_OR_EQUAL.ordinal();
        }
    }

    /** The kinds a cast may produce; sizes such as {@code numeric(10, 2)} do not change a value here. */
    enum CastType { DOUBLE, LONG, STRING, BOOLEAN }

    /** The names the expression refers to, in order of first appearance. */
    default Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        collectNames(this, names);
        return names;
    }

    private static void collectNames(Expression e, Set<String> names) {
        if (e == null || e instanceof Literal) {
            return;
        }
        if (e instanceof Name n) {
            names.add(n.name());
        } else if (e instanceof Unary u) {
            collectNames(u.operand(), names);
        } else if (e instanceof Binary b) {
            collectNames(b.left(), names);
            collectNames(b.right(), names);
        } else if (e instanceof IsNull i) {
            collectNames(i.operand(), names);
        } else if (e instanceof Between b) {
            collectNames(b.operand(), names);
            collectNames(b.low(), names);
            collectNames(b.high(), names);
        } else if (e instanceof In in) {
            collectNames(in.operand(), names);
            in.items().forEach(item -> collectNames(item, names));
        } else if (e instanceof Case c) {
            collectNames(c.subject(), names);
            c.branches().forEach(w -> {
                collectNames(w.when(), names);
                collectNames(w.then(), names);
            });
            collectNames(c.otherwise(), names);
        } else if (e instanceof Cast c) {
            collectNames(c.operand(), names);
        } else if (e instanceof Call c) {
            c.arguments().forEach(argument -> collectNames(argument, names));
        }
    }
}
