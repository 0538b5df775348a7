package dev.fletcher.catalog.syntax;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the names a SQL expression refers to, without a full SQL parser.
 *
 * <p>The rule: a bare identifier is a reference unless it is a SQL keyword or type name, a function name (followed
 * by an opening parenthesis), part of a qualified name ({@code t.x}), a type after {@code ::} or {@code AS}, or
 * inside a string literal or comment. A double-quoted identifier is always a reference. This is sound for the
 * expressions definitions hold ({@code amount_max_7d / nullif(amount_avg_7d, 0)}): every column-like name in them
 * must be a feature or metric the definition can see.
 */
public final class SqlIdentifiers {
    private static final Set<String> KEYWORDS = Set.of(
            "and", "or", "not", "null", "is", "in", "between", "like", "ilike", "similar", "escape", "glob",
            "case", "when", "then", "else", "end", "as", "cast", "try_cast", "true", "false", "unknown", "distinct",
            "all", "any", "some", "exists", "interval", "from", "for", "at", "time", "zone", "with", "without",
            "extract", "epoch", "millennium", "century", "decade", "year", "years", "quarter", "month", "months",
            "week", "weeks", "day", "days", "hour", "hours", "minute", "minutes", "second", "seconds", "millisecond",
            "milliseconds", "microsecond", "microseconds", "dow", "doy", "isodow", "isoyear", "date", "timestamp",
            "timestamptz", "over", "partition", "by", "order", "asc", "desc", "nulls", "first", "last", "filter",
            "where", "rows", "range", "unbounded", "preceding", "following", "current", "row", "within", "group",
            "collate", "using", "on", "varchar", "char", "character", "varying", "text", "string", "integer", "int",
            "int2", "int4", "int8", "bigint", "smallint", "tinyint", "hugeint", "double", "precision", "float",
            "float4", "float8", "real", "numeric", "decimal", "boolean", "bool", "uuid", "blob", "bytea", "json",
            "jsonb", "isnull", "notnull", "current_date", "current_timestamp", "current_time", "localtime",
            "localtimestamp", "leading", "trailing", "both", "position", "substring", "overlay", "placing",
            "to", "if", "elseif");

    private SqlIdentifiers() {
    }

    /** The names {@code expr} refers to, in order of first appearance, each once. */
    public static List<String> references(String expr) {
        return scan(expr, Set.of());
    }

    /**
     * Like {@link #references(String)}, but a word in {@code known} counts as a reference even when it is also a
     * SQL keyword (a feature may be called {@code last} or {@code day}).
     */
    public static List<String> references(String expr, Set<String> known) {
        return scan(expr, known);
    }

    public static boolean isKeyword(String word) {
        return KEYWORDS.contains(word.toLowerCase(Locale.ROOT));
    }

    private static List<String> scan(String expr, Set<String> known) {
        Set<String> found = new LinkedHashSet<>();
        List<SqlLexer.Token> tokens = SqlLexer.tokens(expr);
        String previous = "";
        for (int i = 0; i < tokens.size(); i++) {
            SqlLexer.Token token = tokens.get(i);
            String next = tokens.get(Math.min(i + 1, tokens.size() - 1)).text();
            switch (token.type()) {
                case QUOTED -> {
                    if (!previous.equals(".") && !previous.equals("::") && !token.text().isEmpty() && !next.equals(".")) {
                        found.add(token.text());
                    }
                    previous = "\"";
                }
                case WORD -> {
                    String word = token.text();
                    String lower = word.toLowerCase(Locale.ROOT);
                    boolean skip = previous.equals(".") || previous.equals("::") || previous.equals("as")
                            || next.equals("(") || next.equals(".") || (KEYWORDS.contains(lower) && !known.contains(word));
                    if (!skip) {
                        found.add(word);
                    }
                    previous = lower;
                }
                case STRING, UNTERMINATED -> previous = "'";
                case NUMBER -> previous = "0";
                default -> previous = token.text();
            }
        }
        return new ArrayList<>(found);
    }
}
