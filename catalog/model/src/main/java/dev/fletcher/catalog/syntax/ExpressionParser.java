package dev.fletcher.catalog.syntax;

import dev.fletcher.catalog.syntax.Expression.BinaryOperator;
import dev.fletcher.catalog.syntax.Expression.CastType;
import dev.fletcher.catalog.syntax.SqlLexer.Token;
import dev.fletcher.catalog.syntax.SqlLexer.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a derived expression: numbers, strings, TRUE/FALSE/NULL, names, {@code + - * / %}, {@code ||},
 * comparisons, AND/OR/NOT, IS [NOT] NULL, [NOT] BETWEEN, [NOT] IN (...), CASE WHEN, CAST(x AS type) and
 * {@code x::type}, and the functions in {@link #FUNCTIONS}. What it reads, every path can run: the catalog validator,
 * the online evaluator and the stream evaluator all read through here, so an expression is refused at apply, not at
 * read time.
 */
public final class ExpressionParser {
    /** The functions of the language and how many arguments each takes: {min, max}, max -1 for no limit. */
    public static final Map<String, int[]> FUNCTIONS = Map.ofEntries(
            Map.entry("nullif", new int[] {2, 2}),
            Map.entry("coalesce", new int[] {1, -1}),
            Map.entry("ifnull", new int[] {2, 2}),
            Map.entry("greatest", new int[] {1, -1}),
            Map.entry("least", new int[] {1, -1}),
            Map.entry("abs", new int[] {1, 1}),
            Map.entry("round", new int[] {1, 2}),
            Map.entry("floor", new int[] {1, 1}),
            Map.entry("ceil", new int[] {1, 1}),
            Map.entry("ceiling", new int[] {1, 1}),
            Map.entry("sqrt", new int[] {1, 1}),
            Map.entry("ln", new int[] {1, 1}),
            Map.entry("exp", new int[] {1, 1}),
            Map.entry("power", new int[] {2, 2}),
            Map.entry("pow", new int[] {2, 2}),
            Map.entry("lower", new int[] {1, 1}),
            Map.entry("upper", new int[] {1, 1}),
            Map.entry("length", new int[] {1, 1}));

    private static final Map<String, BinaryOperator> COMPARISONS = Map.of(
            "=", BinaryOperator.EQUAL, "<>", BinaryOperator.NOT_EQUAL, "!=", BinaryOperator.NOT_EQUAL,
            "<", BinaryOperator.LESS, "<=", BinaryOperator.LESS_OR_EQUAL,
            ">", BinaryOperator.GREATER, ">=", BinaryOperator.GREATER_OR_EQUAL);

    private static final Set<String> SYMBOLS = Set.of(
            "+", "-", "*", "/", "%", "(", ")", "=", "<", ">", ",", "<=", ">=", "<>", "!=", "||", "::");
    private static final Pattern NUMBER = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final String text;
    private final List<Token> tokens;
    private int at;

    private ExpressionParser(String text) {
        this.text = text;
        this.tokens = SqlLexer.tokens(text);
    }

    /** @throws ExpressionException naming what the language does not read, and where */
    public static Expression parse(String text) {
        ExpressionParser parser = new ExpressionParser(text);
        Expression expression = parser.expression();
        if (parser.peek().type() != Type.END) {
            throw parser.unexpected(parser.peek());
        }
        return expression;
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token next() {
        return tokens.get(at++);
    }

    private boolean accept(String word) {
        if (peek().is(word)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(String word) {
        if (!accept(word)) {
            Token found = peek();
            throw new ExpressionException("expected " + word + " but found "
                    + (found.type() == Type.END ? "the end" : "'" + found.text() + "'"), found.offset());
        }
    }

    private ExpressionException unexpected(Token token) {
        return switch (token.type()) {
            case END -> new ExpressionException("the expression ends too early", token.offset());
            case UNTERMINATED -> new ExpressionException("unterminated "
                    + (text.charAt(token.offset()) == '\'' ? "string" : "quoted name"), token.offset());
            case SYMBOL -> new ExpressionException("unexpected " + (SYMBOLS.contains(token.text()) ? "" : "character ")
                    + "'" + token.text() + "'", token.offset());
            default -> new ExpressionException("unexpected '" + token.text() + "'", token.offset());
        };
    }

    private Expression expression() {
        Expression left = and();
        while (accept("or")) {
            left = new Expression.Binary(BinaryOperator.OR, left, and());
        }
        return left;
    }

    private Expression and() {
        Expression left = not();
        while (accept("and")) {
            left = new Expression.Binary(BinaryOperator.AND, left, not());
        }
        return left;
    }

    private Expression not() {
        if (accept("not")) {
            return new Expression.Unary(Expression.UnaryOperator.NOT, not());
        }
        return comparison();
    }

    private Expression comparison() {
        Expression left = additive();
        Token op = peek();
        BinaryOperator comparison = op.type() == Type.SYMBOL ? COMPARISONS.get(op.text()) : null;
        if (comparison != null) {
            at++;
            return new Expression.Binary(comparison, left, additive());
        }
        if (accept("is")) {
            boolean negated = accept("not");
            expect("null");
            return new Expression.IsNull(left, negated);
        }
        Token notToken = peek();
        boolean negated = accept("not");
        if (accept("between")) {
            Expression low = additive();
            expect("and");
            return new Expression.Between(left, low, additive(), negated);
        }
        if (accept("in")) {
            expect("(");
            List<Expression> items = new ArrayList<>();
            do {
                items.add(expression());
            } while (accept(","));
            expect(")");
            return new Expression.In(left, items, negated);
        }
        if (negated) {
            throw new ExpressionException("expected BETWEEN or IN after NOT", notToken.offset());
        }
        return left;
    }

    private Expression additive() {
        Expression left = multiplicative();
        while (true) {
            BinaryOperator op = peek().is("+") ? BinaryOperator.ADD : peek().is("-") ? BinaryOperator.SUBTRACT
                    : peek().is("||") ? BinaryOperator.CONCAT : null;
            if (op == null) {
                return left;
            }
            at++;
            left = new Expression.Binary(op, left, multiplicative());
        }
    }

    private Expression multiplicative() {
        Expression left = unary();
        while (true) {
            BinaryOperator op = peek().is("*") ? BinaryOperator.MULTIPLY : peek().is("/") ? BinaryOperator.DIVIDE
                    : peek().is("%") ? BinaryOperator.MODULO : null;
            if (op == null) {
                return left;
            }
            at++;
            left = new Expression.Binary(op, left, unary());
        }
    }

    private Expression unary() {
        if (accept("-")) {
            return new Expression.Unary(Expression.UnaryOperator.NEGATE, unary());
        }
        if (accept("+")) {
            return unary();
        }
        Expression value = primary();
        while (accept("::")) {
            value = new Expression.Cast(value, typeName());
        }
        return value;
    }

    private Expression primary() {
        Token token = next();
        switch (token.type()) {
            case NUMBER -> {
                return new Expression.Literal(number(token));
            }
            case STRING -> {
                return new Expression.Literal(token.text());
            }
            case QUOTED -> {
                return new Expression.Name(token.text(), true);
            }
            case SYMBOL -> {
                if (token.is("(")) {
                    Expression inner = expression();
                    expect(")");
                    return inner;
                }
                throw unexpected(token);
            }
            case WORD -> {
                return word(token);
            }
            default -> throw unexpected(token);
        }
    }

    private Expression word(Token token) {
        String word = token.text().toLowerCase(Locale.ROOT);
        switch (word) {
            case "null":
                return new Expression.Literal(null);
            case "true":
                return new Expression.Literal(Boolean.TRUE);
            case "false":
                return new Expression.Literal(Boolean.FALSE);
            case "case":
                return caseWhen();
            case "cast": {
                expect("(");
                Expression inner = expression();
                expect("as");
                CastType type = typeName();
                expect(")");
                return new Expression.Cast(inner, type);
            }
            default:
                break;
        }
        if (!peek().is("(")) {
            return new Expression.Name(token.text(), false);
        }
        at++;
        List<Expression> arguments = new ArrayList<>();
        if (!accept(")")) {
            do {
                arguments.add(expression());
            } while (accept(","));
            expect(")");
        }
        int[] arity = FUNCTIONS.get(word);
        if (arity == null) {
            throw new ExpressionException("the function " + word + "() is not read here; derived expressions may"
                    + " use: " + String.join(", ", FUNCTIONS.keySet().stream().sorted().toList()),
                    token.offset());
        }
        if (arguments.size() < arity[0] || (arity[1] >= 0 && arguments.size() > arity[1])) {
            String count = arity[0] == arity[1] ? String.valueOf(arity[0])
                    : arity[1] < 0 ? "at least " + arity[0] : arity[0] + " or " + arity[1];
            throw new ExpressionException(word + "() takes " + count + " argument"
                    + (count.equals("1") ? "" : "s") + ", not " + arguments.size(), token.offset());
        }
        return new Expression.Call(word, arguments);
    }

    private Expression caseWhen() {
        Expression subject = peek().is("when") ? null : expression();
        List<Expression.When> branches = new ArrayList<>();
        while (accept("when")) {
            Expression when = expression();
            expect("then");
            branches.add(new Expression.When(when, expression()));
        }
        if (branches.isEmpty()) {
            throw new ExpressionException("CASE needs at least one WHEN", peek().offset());
        }
        Expression otherwise = accept("else") ? expression() : null;
        expect("end");
        return new Expression.Case(subject, branches, otherwise);
    }

    private CastType typeName() {
        Token token = next();
        if (token.type() != Type.WORD) {
            throw new ExpressionException("expected a type name", token.offset());
        }
        String type = token.text().toLowerCase(Locale.ROOT);
        if (type.equals("double")) {
            accept("precision");
        }
        if (accept("(")) {
            while (!accept(")")) {
                if (next().type() == Type.END) {
                    throw new ExpressionException("unclosed type size", token.offset());
                }
            }
        }
        return switch (type) {
            case "double", "float", "float8", "real", "float4", "numeric", "decimal" -> CastType.DOUBLE;
            case "bigint", "integer", "int", "int8", "int4", "smallint", "int2", "hugeint", "long" -> CastType.LONG;
            case "varchar", "text", "string", "char" -> CastType.STRING;
            case "boolean", "bool" -> CastType.BOOLEAN;
            default -> throw new ExpressionException("CAST to " + type + " is not one derived expressions may use",
                    token.offset());
        };
    }

    private static Object number(Token token) {
        String digits = token.text();
        if (!NUMBER.matcher(digits).matches()) {
            throw new ExpressionException("'" + digits + "' is not a number", token.offset());
        }
        try {
            return digits.contains(".") || digits.toLowerCase(Locale.ROOT).contains("e")
                    ? (Object) Double.parseDouble(digits) : (Object) Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new ExpressionException("'" + digits + "' is out of range", token.offset());
        }
    }
}
