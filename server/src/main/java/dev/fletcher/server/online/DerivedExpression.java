package dev.fletcher.server.online;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * A derived feature's SQL expression evaluated at read time, over the values of the view's other features. It reads
 * the part of SQL that derived features are written in: numbers, strings, TRUE/FALSE/NULL, feature names,
 * {@code + - * / %}, {@code ||}, comparisons, AND/OR/NOT, IS [NOT] NULL, [NOT] BETWEEN, [NOT] IN (...),
 * CASE WHEN, CAST(x AS type) and {@code x::type}, and the functions nullif, coalesce, greatest, least, abs, round,
 * floor, ceil, sqrt, ln, exp, power, lower, upper, length. Nulls propagate as in SQL. Integer division truncates
 * or not as the view's warehouse does ({@code integerDivisionTruncates}), so the value is the training set's.
 */
public final class DerivedExpression {
    /** One compiled node; {@code values} holds the features' values in the caller's slots. */
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
     * Compiles {@code expr}; identifiers are looked up with {@code slots} (answering -1 for an unknown name).
     *
     * @throws IllegalArgumentException naming what the evaluator does not read
     */
    public static DerivedExpression compile(String expr, ToIntFunction<String> slots, boolean integerDivisionTruncates) {
        Parser parser = new Parser(expr, slots, integerDivisionTruncates);
        Node root = parser.expression();
        parser.expectEnd();
        return new DerivedExpression(expr, root);
    }

    public Object evaluate(Object[] values) {
        return root.eval(values);
    }

    @Override
    public String toString() {
        return text;
    }

    // ---- tokens ---------------------------------------------------------------------------------------------

    private enum T { NUMBER, STRING, WORD, QUOTED, SYMBOL, END }

    private record Token(T type, String text) {
        boolean is(String word) {
            return (type == T.WORD || type == T.SYMBOL) && text.equalsIgnoreCase(word);
        }
    }

    private static List<Token> tokens(String s) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                int start = i;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                    i++;
                    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                        i++;
                    }
                    while (i < s.length() && Character.isDigit(s.charAt(i))) {
                        i++;
                    }
                }
                tokens.add(new Token(T.NUMBER, s.substring(start, i)));
            } else if (c == '\'' || c == '"') {
                StringBuilder text = new StringBuilder();
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw new IllegalArgumentException("unterminated " + (c == '\'' ? "string" : "quoted name"));
                    }
                    if (s.charAt(i) == c) {
                        if (i + 1 < s.length() && s.charAt(i + 1) == c) {
                            text.append(c);
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    text.append(s.charAt(i++));
                }
                tokens.add(new Token(c == '\'' ? T.STRING : T.QUOTED, text.toString()));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(new Token(T.WORD, s.substring(start, i)));
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (List.of("<=", ">=", "<>", "!=", "||", "::").contains(two)) {
                    tokens.add(new Token(T.SYMBOL, two));
                    i += 2;
                } else if ("+-*/%()=<>,".indexOf(c) >= 0) {
                    tokens.add(new Token(T.SYMBOL, String.valueOf(c)));
                    i++;
                } else {
                    throw new IllegalArgumentException("unexpected character '" + c + "'");
                }
            }
        }
        tokens.add(new Token(T.END, ""));
        return tokens;
    }

    // ---- parser ---------------------------------------------------------------------------------------------

    private static final class Parser {
        private final List<Token> tokens;
        private final ToIntFunction<String> slots;
        private final boolean truncating;
        private int at;

        Parser(String text, ToIntFunction<String> slots, boolean truncating) {
            this.tokens = tokens(text);
            this.slots = slots;
            this.truncating = truncating;
        }

        Token peek() {
            return tokens.get(at);
        }

        Token next() {
            return tokens.get(at++);
        }

        boolean accept(String word) {
            if (peek().is(word)) {
                at++;
                return true;
            }
            return false;
        }

        void expect(String word) {
            if (!accept(word)) {
                throw new IllegalArgumentException("expected " + word + " but found "
                        + (peek().type == T.END ? "the end" : "'" + peek().text + "'"));
            }
        }

        void expectEnd() {
            if (peek().type != T.END) {
                throw new IllegalArgumentException("unexpected '" + peek().text + "'");
            }
        }

        Node expression() {
            Node left = and();
            while (accept("or")) {
                Node l = left;
                Node r = and();
                left = v -> DerivedExpression.or(l.eval(v), r.eval(v));
            }
            return left;
        }

        Node and() {
            Node left = not();
            while (accept("and")) {
                Node l = left;
                Node r = not();
                left = v -> DerivedExpression.and(l.eval(v), r.eval(v));
            }
            return left;
        }

        Node not() {
            if (accept("not")) {
                Node inner = not();
                return v -> {
                    Object x = inner.eval(v);
                    return x == null ? null : !truth(x);
                };
            }
            return comparison();
        }

        Node comparison() {
            Node left = additive();
            Token op = peek();
            if (op.type == T.SYMBOL && List.of("=", "<>", "!=", "<", "<=", ">", ">=").contains(op.text)) {
                at++;
                Node right = additive();
                String o = op.text;
                return v -> compare(o, left.eval(v), right.eval(v));
            }
            if (accept("is")) {
                boolean negated = accept("not");
                expect("null");
                return v -> (left.eval(v) == null) != negated;
            }
            boolean negated = accept("not");
            if (accept("between")) {
                Node low = additive();
                expect("and");
                Node high = additive();
                return v -> {
                    Object x = left.eval(v);
                    Object in = DerivedExpression.and(compare(">=", x, low.eval(v)), compare("<=", x, high.eval(v)));
                    return in == null ? null : negated != (Boolean) in;
                };
            }
            if (accept("in")) {
                expect("(");
                List<Node> items = new ArrayList<>();
                do {
                    items.add(expression());
                } while (accept(","));
                expect(")");
                return v -> {
                    Object x = left.eval(v);
                    if (x == null) {
                        return null;
                    }
                    boolean unknown = false;
                    for (Node item : items) {
                        Object eq = compare("=", x, item.eval(v));
                        if (Boolean.TRUE.equals(eq)) {
                            return !negated;
                        }
                        unknown |= eq == null;
                    }
                    return unknown ? null : negated;
                };
            }
            if (negated) {
                throw new IllegalArgumentException("expected BETWEEN or IN after NOT");
            }
            return left;
        }

        Node additive() {
            Node left = multiplicative();
            while (true) {
                Token op = peek();
                if (op.is("+") || op.is("-") || op.is("||")) {
                    at++;
                    Node l = left;
                    Node r = multiplicative();
                    String o = op.text;
                    left = o.equals("||") ? v -> concat(l.eval(v), r.eval(v)) : v -> arithmetic(o, l.eval(v), r.eval(v));
                } else {
                    return left;
                }
            }
        }

        Node multiplicative() {
            Node left = unary();
            while (true) {
                Token op = peek();
                if (op.is("*") || op.is("/") || op.is("%")) {
                    at++;
                    Node l = left;
                    Node r = unary();
                    String o = op.text;
                    left = v -> arithmetic(o, l.eval(v), r.eval(v));
                } else {
                    return left;
                }
            }
        }

        Node unary() {
            if (accept("-")) {
                Node inner = unary();
                return v -> arithmetic("-", 0L, inner.eval(v));
            }
            if (accept("+")) {
                return unary();
            }
            Node value = primary();
            while (accept("::")) {
                String type = typeName();
                Node inner = value;
                value = v -> cast(inner.eval(v), type);
            }
            return value;
        }

        Node primary() {
            Token token = next();
            switch (token.type) {
                case NUMBER -> {
                    Object number = token.text.contains(".") || token.text.toLowerCase(Locale.ROOT).contains("e")
                            ? (Object) Double.parseDouble(token.text) : (Object) Long.parseLong(token.text);
                    return v -> number;
                }
                case STRING -> {
                    String s = token.text;
                    return v -> s;
                }
                case QUOTED -> {
                    return identifier(token.text);
                }
                case SYMBOL -> {
                    if (token.is("(")) {
                        Node inner = expression();
                        expect(")");
                        return inner;
                    }
                    throw new IllegalArgumentException("unexpected '" + token.text + "'");
                }
                case END -> throw new IllegalArgumentException("the expression ends too early");
                default -> {
                }
            }
            String word = token.text.toLowerCase(Locale.ROOT);
            switch (word) {
                case "null":
                    return v -> null;
                case "true":
                    return v -> Boolean.TRUE;
                case "false":
                    return v -> Boolean.FALSE;
                case "case":
                    return caseWhen();
                case "cast": {
                    expect("(");
                    Node inner = expression();
                    expect("as");
                    String type = typeName();
                    expect(")");
                    return v -> cast(inner.eval(v), type);
                }
                default:
                    break;
            }
            if (peek().is("(")) {
                at++;
                List<Node> args = new ArrayList<>();
                if (!accept(")")) {
                    do {
                        args.add(expression());
                    } while (accept(","));
                    expect(")");
                }
                return function(word, args);
            }
            return identifier(token.text);
        }

        Node identifier(String name) {
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

        Node caseWhen() {
            Node subject = peek().is("when") ? null : expression();
            List<Node[]> branches = new ArrayList<>();
            while (accept("when")) {
                Node when = expression();
                expect("then");
                branches.add(new Node[] {when, expression()});
            }
            Node otherwise = accept("else") ? expression() : v -> null;
            expect("end");
            if (branches.isEmpty()) {
                throw new IllegalArgumentException("CASE needs at least one WHEN");
            }
            return v -> {
                Object x = subject == null ? null : subject.eval(v);
                for (Node[] branch : branches) {
                    Object test = subject == null ? branch[0].eval(v) : compare("=", x, branch[0].eval(v));
                    if (test != null && truth(test)) {
                        return branch[1].eval(v);
                    }
                }
                return otherwise.eval(v);
            };
        }

        String typeName() {
            Token token = next();
            if (token.type != T.WORD) {
                throw new IllegalArgumentException("expected a type name");
            }
            String type = token.text.toLowerCase(Locale.ROOT);
            if (type.equals("double") && peek().is("precision")) {
                at++;
            }
            if (accept("(")) {
                // numeric(10, 2), varchar(20): the sizes do not change the value here
                while (!accept(")")) {
                    if (next().type == T.END) {
                        throw new IllegalArgumentException("unclosed type size");
                    }
                }
            }
            return switch (type) {
                case "double", "float", "float8", "real", "float4", "numeric", "decimal" -> "double";
                case "bigint", "integer", "int", "int8", "int4", "smallint", "int2", "hugeint", "long" -> "long";
                case "varchar", "text", "string", "char" -> "string";
                case "boolean", "bool" -> "boolean";
                default -> throw new IllegalArgumentException("CAST to " + type + " is not read here");
            };
        }

        Node function(String name, List<Node> args) {
            switch (name) {
                case "nullif" -> {
                    arity(name, args, 2);
                    return v -> {
                        Object a = args.get(0).eval(v);
                        return Boolean.TRUE.equals(compare("=", a, args.get(1).eval(v))) ? null : a;
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
                                    || Boolean.TRUE.equals(compare(greatest ? ">" : "<", x, best)))) {
                                best = x;
                            }
                        }
                        return best;
                    };
                }
                case "abs" -> {
                    arity(name, args, 1);
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
                    arity(name, args, 1);
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
                    arity(name, args, 2);
                    return v -> {
                        Object a = args.get(0).eval(v);
                        Object b = args.get(1).eval(v);
                        return a == null || b == null ? null : Math.pow(number(a), number(b));
                    };
                }
                case "lower", "upper", "length" -> {
                    arity(name, args, 1);
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
                default -> throw new IllegalArgumentException("the function " + name + "() is not read here");
            }
        }

        private static void arity(String name, List<Node> args, int n) {
            if (args.size() != n) {
                throw new IllegalArgumentException(name + "() takes " + n + " argument" + (n == 1 ? "" : "s"));
            }
        }

        private Object arithmetic(String op, Object a, Object b) {
            if (a == null || b == null) {
                return null;
            }
            if (a instanceof Long x && b instanceof Long y) {
                switch (op) {
                    case "+":
                        return Math.addExact(x, y);
                    case "-":
                        return Math.subtractExact(x, y);
                    case "*":
                        return Math.multiplyExact(x, y);
                    case "%":
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
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "%" -> y == 0 ? null : x % y;
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

    private static Object compare(String op, Object a, Object b) {
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
            case "=" -> c == 0;
            case "<>", "!=" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    private static Object cast(Object x, String type) {
        if (x == null) {
            return null;
        }
        return switch (type) {
            case "double" -> number(x);
            case "long" -> {
                if (x instanceof Long) {
                    yield x;
                }
                double d = number(x);
                yield Math.round(d);
            }
            case "string" -> text(x);
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
