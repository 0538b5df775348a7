package dev.fletcher.catalog.lang;

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
        int i = 0;
        int n = expr.length();
        String previous = "";
        while (i < n) {
            char c = expr.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                i = skipQuoted(expr, i, '\'');
                previous = "'";
            } else if (c == '"') {
                int end = skipQuoted(expr, i, '"');
                String name = expr.substring(i + 1, Math.max(i + 1, end - 1)).replace("\"\"", "\"");
                if (!previous.equals(".") && !previous.equals("::") && !name.isEmpty() && nextSignificant(expr, end) != '.') {
                    found.add(name);
                }
                i = end;
                previous = "\"";
            } else if (c == '-' && i + 1 < n && expr.charAt(i + 1) == '-') {
                int eol = expr.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && expr.charAt(i + 1) == '*') {
                int close = expr.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (Character.isDigit(c)) {
                i = skipNumber(expr, i);
                previous = "0";
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < n && (Character.isLetterOrDigit(expr.charAt(end)) || expr.charAt(end) == '_'
                        || expr.charAt(end) == '$')) {
                    end++;
                }
                String word = expr.substring(i, end);
                String lower = word.toLowerCase(Locale.ROOT);
                char next = nextSignificant(expr, end);
                boolean skip = previous.equals(".") || previous.equals("::") || previous.equals("as")
                        || next == '(' || next == '.' || (KEYWORDS.contains(lower) && !known.contains(word));
                if (!skip) {
                    found.add(word);
                }
                previous = lower;
                i = end;
            } else if (c == ':' && i + 1 < n && expr.charAt(i + 1) == ':') {
                previous = "::";
                i += 2;
            } else {
                previous = String.valueOf(c);
                i++;
            }
        }
        return new ArrayList<>(found);
    }

    private static int skipQuoted(String expr, int start, char quote) {
        int i = start + 1;
        while (i < expr.length()) {
            if (expr.charAt(i) == quote) {
                if (i + 1 < expr.length() && expr.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return expr.length();
    }

    private static int skipNumber(String expr, int start) {
        int i = start;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            boolean exponentSign = (c == '+' || c == '-') && i > start
                    && Character.toLowerCase(expr.charAt(i - 1)) == 'e';
            if (Character.isLetterOrDigit(c) || c == '.' || c == '_' || exponentSign) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private static char nextSignificant(String expr, int from) {
        for (int i = from; i < expr.length(); i++) {
            if (!Character.isWhitespace(expr.charAt(i))) {
                return expr.charAt(i);
            }
        }
        return 0;
    }
}
