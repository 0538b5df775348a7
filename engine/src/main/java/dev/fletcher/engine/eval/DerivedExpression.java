package dev.fletcher.engine.eval;

import dev.fletcher.catalog.syntax.Expression;
import dev.fletcher.catalog.syntax.Expression.BinaryOperator;
import dev.fletcher.catalog.syntax.Expression.CastType;
import dev.fletcher.catalog.syntax.ExpressionParser;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * A derived expression evaluated in memory, over the values of a row held in slots: derived features at online read
 * time, filters over stream events. It runs what {@link ExpressionParser} reads, so whatever the catalog accepted
 * runs here. Nulls propagate as in SQL; integer division truncates or not as the view's warehouse does
 * ({@code integerDivisionTruncates}), so the value is the training set's.
 */
public final class DerivedExpression {
    /** One compiled node; {@code values} holds the row's values in the caller's slots. */
    private interface Node {
        Object eval(Object[] values);
    }

    private final String text;
    private final Node root;

    private DerivedExpression(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /**
     * Compiles {@code expr}; names are looked up with {@code slots} (answering -1 for an unknown name).
     *
     * @throws IllegalArgumentException naming what the language does not read, or a name with no slot
     */
    public static DerivedExpression compile(String expr, ToIntFunction<String> slots, boolean integerDivisionTruncates) {
        return compile(expr, ExpressionParser.parse(expr), slots, integerDivisionTruncates);
    }

    /** Compiles an expression already read, {@code text} kept for messages. */
    public static DerivedExpression compile(String text, Expression expr, ToIntFunction<String> slots,
            boolean integerDivisionTruncates) {
        return new DerivedExpression(text, new Compiler(slots, integerDivisionTruncates).node(expr));
    }

    public Object evaluate(Object[] values) {
        return root.eval(values);
    }

    @Override
    public String toString() {
        return text;
    }

    private static final class Compiler {
        private final ToIntFunction<String> slots;
        private final boolean truncating;

        Compiler(ToIntFunction<String> slots, boolean truncating) {
            this.slots = slots;
            this.truncating = truncating;
        }

        Node node(Expression e) {
            if (e instanceof Expression.Literal l) {
                Object value = l.value();
                return v -> value;
            }
            if (e instanceof Expression.Name n) {
                return name(n.name());
            }
            if (e instanceof Expression.Unary u) {
                Node inner = node(u.operand());
                if (u.operator() == Expression.UnaryOperator.NEGATE) {
                    return v -> arithmetic(BinaryOperator.SUBTRACT, 0L, inner.eval(v));
                }
                return v -> {
                    Object x = inner.eval(v);
                    return x == null ? null : !truth(x);
                };
            }
            if (e instanceof Expression.Binary b) {
                return binary(b.operator(), node(b.left()), node(b.right()));
            }
            if (e instanceof Expression.IsNull i) {
                Node inner = node(i.operand());
                boolean negated = i.negated();
                return v -> (inner.eval(v) == null) != negated;
            }
            if (e instanceof Expression.Between b) {
                Node x = node(b.operand());
                Node low = node(b.low());
                Node high = node(b.high());
                boolean negated = b.negated();
                return v -> {
                    Object value = x.eval(v);
                    Object in = and(compare(BinaryOperator.GREATER_OR_EQUAL, value, low.eval(v)),
                            compare(BinaryOperator.LESS_OR_EQUAL, value, high.eval(v)));
                    return in == null ? null : negated != (Boolean) in;
                };
            }
            if (e instanceof Expression.In in) {
                return in(node(in.operand()), in.items().stream().map(this::node).toList(), in.negated());
            }
            if (e instanceof Expression.Case c) {
                return caseWhen(c);
            }
            if (e instanceof Expression.Cast c) {
                Node inner = node(c.operand());
                CastType type = c.type();
                return v -> cast(inner.eval(v), type);
            }
            Expression.Call call = (Expression.Call) e;
            return function(call.function(), call.arguments().stream().map(this::node).toList());
        }

        Node name(String name) {
            int slot = slots.applyAsInt(name);
            if (slot < 0) {
                slot = slots.applyAsInt(name.toLowerCase(Locale.ROOT));
            }
            if (slot < 0) {
                throw new IllegalArgumentException("'" + name + "' is not a feature of the view");
            }
            int s = slot;
            return v -> v[s];
        }

        Node binary(BinaryOperator op, Node l, Node r) {
            switch (op) {
                case AND:
                    return v -> and(l.eval(v), r.eval(v));
                case OR:
                    return v -> or(l.eval(v), r.eval(v));
                case CONCAT:
                    return v -> concat(l.eval(v), r.eval(v));
                default:
                    if (op.isComparison()) {
                        return v -> compare(op, l.eval(v), r.eval(v));
                    }
                    return v -> arithmetic(op, l.eval(v), r.eval(v));
            }
        }

        static Node in(Node x, List<Node> items, boolean negated) {
            return v -> {
                Object value = x.eval(v);
                if (value == null) {
                    return null;
                }
                boolean unknown = false;
                for (Node item : items) {
                    Object eq = compare(BinaryOperator.EQUAL, value, item.eval(v));
                    if (Boolean.TRUE.equals(eq)) {
                        return !negated;
                    }
                    unknown |= eq == null;
                }
                return unknown ? null : negated;
            };
        }

        Node caseWhen(Expression.Case c) {
            Node subject = c.subject() == null ? null : node(c.subject());
            List<Node[]> branches = c.branches().stream().map(w -> new Node[] {node(w.when()), node(w.then())}).toList();
            Node otherwise = c.otherwise() == null ? v -> null : node(c.otherwise());
            return v -> {
                Object x = subject == null ? null : subject.eval(v);
                for (Node[] branch : branches) {
                    Object test = subject == null ? branch[0].eval(v) : compare(BinaryOperator.EQUAL, x, branch[0].eval(v));
                    if (test != null && truth(test)) {
                        return branch[1].eval(v);
                    }
                }
                return otherwise.eval(v);
            };
        }

        Node function(String name, List<Node> args) {
            switch (name) {
                case "nullif" -> {
                    return v -> {
                        Object a = args.get(0).eval(v);
                        return Boolean.TRUE.equals(compare(BinaryOperator.EQUAL, a, args.get(1).eval(v))) ? null : a;
                    };
                }
                case "coalesce", "ifnull" -> {
                    return v -> {
                        for (Node arg : args) {
                            Object x = arg.eval(v);
                            if (x != null) {
                                return x;
                            }
                        }
                        return null;
                    };
                }
                case "greatest", "least" -> {
                    boolean greatest = name.equals("greatest");
                    return v -> {
                        Object best = null;
                        for (Node arg : args) {
                            Object x = arg.eval(v);
                            if (x != null && (best == null
                                    || Boolean.TRUE.equals(compare(greatest ? BinaryOperator.GREATER : BinaryOperator.LESS, x, best)))) {
                                best = x;
                            }
                        }
                        return best;
                    };
                }
                case "abs" -> {
                    return v -> {
                        Object x = args.get(0).eval(v);
                        if (x == null) {
                            return null;
                        }
                        // not one conditional expression: it would widen the long to a double
                        if (x instanceof Long l) {
                            return Math.abs(l);
                        }
                        return Math.abs(number(x));
                    };
                }
                case "round" -> {
                    return v -> {
                        Object x = args.get(0).eval(v);
                        Object digits = args.size() > 1 ? args.get(1).eval(v) : 0L;
                        if (x == null || digits == null) {
                            return null;
                        }
                        if (x instanceof Long l) {
                            return l;
                        }
                        double d = number(x);
                        if (Double.isNaN(d) || Double.isInfinite(d)) {
                            return d;
                        }
                        return BigDecimal.valueOf(d).setScale((int) number(digits), RoundingMode.HALF_UP).doubleValue();
                    };
                }
                case "floor", "ceil", "ceiling", "sqrt", "ln", "exp" -> {
                    return v -> {
                        Object x = args.get(0).eval(v);
                        if (x == null) {
                            return null;
                        }
                        double d = number(x);
                        return switch (name) {
                            case "floor" -> Math.floor(d);
                            case "ceil", "ceiling" -> Math.ceil(d);
                            case "sqrt" -> Math.sqrt(d);
                            case "ln" -> Math.log(d);
                            default -> Math.exp(d);
                        };
                    };
                }
                case "power", "pow" -> {
                    return v -> {
                        Object a = args.get(0).eval(v);
                        Object b = args.get(1).eval(v);
                        return a == null || b == null ? null : Math.pow(number(a), number(b));
                    };
                }
                case "lower", "upper", "length" -> {
                    return v -> {
                        Object x = args.get(0).eval(v);
                        if (x == null) {
                            return null;
                        }
                        String s = text(x);
                        return switch (name) {
                            case "lower" -> s.toLowerCase(Locale.ROOT);
                            case "upper" -> s.toUpperCase(Locale.ROOT);
                            default -> (long) s.codePointCount(0, s.length());
                        };
                    };
                }
                default -> throw new IllegalArgumentException("the function " + name + "() is not evaluated here");
            }
        }

        private Object arithmetic(BinaryOperator op, Object a, Object b) {
            if (a == null || b == null) {
                return null;
            }
            if (a instanceof Long x && b instanceof Long y) {
                switch (op) {
                    case ADD:
                        return Math.addExact(x, y);
                    case SUBTRACT:
                        return Math.subtractExact(x, y);
                    case MULTIPLY:
                        return Math.multiplyExact(x, y);
                    case MODULO:
                        return y == 0 ? null : x % y;
                    default:
                        if (y == 0) {
                            return null;
                        }
                        return truncating ? (Object) (x / y) : (Object) ((double) x / y);
                }
            }
            double x = number(a);
            double y = number(b);
            return switch (op) {
                case ADD -> x + y;
                case SUBTRACT -> x - y;
                case MULTIPLY -> x * y;
                case MODULO -> y == 0 ? null : x % y;
                default -> y == 0 ? null : x / y;
            };
        }
    }

    // ---- values ---------------------------------------------------------------------------------------------

    private static double number(Object x) {
        if (x instanceof Number n) {
            return n.doubleValue();
        }
        if (x instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (x instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not a number");
            }
        }
        throw new IllegalArgumentException(x + " is not a number");
    }

    private static String text(Object x) {
        return x instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) ? BigDecimal.valueOf(d).toPlainString()
                : String.valueOf(x);
    }

    private static boolean truth(Object x) {
        if (x instanceof Boolean b) {
            return b;
        }
        return number(x) != 0;
    }

    private static Object or(Object a, Object b) {
        if (Boolean.TRUE.equals(bool(a)) || Boolean.TRUE.equals(bool(b))) {
            return true;
        }
        return a == null || b == null ? null : false;
    }

    private static Object and(Object a, Object b) {
        if (Boolean.FALSE.equals(bool(a)) || Boolean.FALSE.equals(bool(b))) {
            return false;
        }
        return a == null || b == null ? null : true;
    }

    private static Boolean bool(Object x) {
        return x == null ? null : truth(x);
    }

    private static Object concat(Object a, Object b) {
        return a == null || b == null ? null : text(a) + text(b);
    }

    private static Object compare(BinaryOperator op, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        int c;
        if (a instanceof Number && b instanceof Number) {
            c = a instanceof Long x && b instanceof Long y ? Long.compare(x, y) : Double.compare(number(a), number(b));
        } else if (a instanceof Boolean x && b instanceof Boolean y) {
            c = Boolean.compare(x, y);
        } else if (a instanceof Comparable<?> && a.getClass() == b.getClass()) {
            @SuppressWarnings("unchecked")
            Comparable<Object> x = (Comparable<Object>) a;
            c = x.compareTo(b);
        } else if (a instanceof Number || b instanceof Number) {
            c = Double.compare(number(a), number(b));
        } else {
            c = text(a).compareTo(text(b));
        }
        return switch (op) {
            case EQUAL -> c == 0;
            case NOT_EQUAL -> c != 0;
            case LESS -> c < 0;
            case LESS_OR_EQUAL -> c <= 0;
            case GREATER -> c > 0;
            default -> c >= 0;
        };
    }

    private static Object cast(Object x, CastType type) {
        if (x == null) {
            return null;
        }
        return switch (type) {
            case DOUBLE -> number(x);
            case LONG -> {
                if (x instanceof Long) {
                    yield x;
                }
                // a float cast to an integer rounds half to even in DuckDB and PostgreSQL alike (rint)
                yield (long) Math.rint(number(x));
            }
            case STRING -> text(x);
            default -> x instanceof String s ? Boolean.valueOf(s.trim().equalsIgnoreCase("true")
                    || s.trim().equals("1") || s.trim().equalsIgnoreCase("t")) : truth(x);
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DerivedExpression e && e.text.equals(text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }
}
