package dev.fletcher.catalog.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits the SQL fragments definitions hold (derived expressions, filters) into tokens. It never fails: what a
 * reader does not accept it sees as a token and rejects with its position, so the finder of references and the
 * expression parser read the same words the same way.
 */
public final class SqlLexer {
    /**
     * What a token is; {@code UNTERMINATED} is a string or quoted name whose closing quote is missing. A quoted name
     * is in double quotes (standard SQL) or backticks (Spark SQL, e.g. a path: {@code parquet.`/data/t.parquet`}).
     */
    public enum Type { NUMBER, STRING, WORD, QUOTED, SYMBOL, UNTERMINATED, END }

    /** One token; {@code text} is the value for strings and quoted names (quotes removed, doubled quotes folded). */
    public record Token(Type type, String text, int offset) {
        /** A word (any case) or a symbol with this text. */
        public boolean is(String word) {
            return (type == Type.WORD || type == Type.SYMBOL) && text.equalsIgnoreCase(word);
        }
    }

    private static final Set<String> TWO_CHARACTER_SYMBOLS = Set.of("<=", ">=", "<>", "!=", "||", "::");

    private SqlLexer() {
    }

    /** The tokens of {@code sql}, comments and white space left out, ending with one {@code END} token. */
    public static List<Token> tokens(String sql) {
        List<Token> tokens = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (c == '\'' || c == '"' || c == '`') {
                i = quoted(sql, i, tokens);
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
                int end = numberEnd(sql, i);
                tokens.add(new Token(Type.NUMBER, sql.substring(i, end), i));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_'
                        || sql.charAt(end) == '$')) {
                    end++;
                }
                tokens.add(new Token(Type.WORD, sql.substring(i, end), i));
                i = end;
            } else {
                String two = i + 1 < n ? sql.substring(i, i + 2) : "";
                String symbol = TWO_CHARACTER_SYMBOLS.contains(two) ? two : String.valueOf(c);
                tokens.add(new Token(Type.SYMBOL, symbol, i));
                i += symbol.length();
            }
        }
        tokens.add(new Token(Type.END, "", n));
        return tokens;
    }

    private static int quoted(String sql, int start, List<Token> tokens) {
        char quote = sql.charAt(start);
        StringBuilder text = new StringBuilder();
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    text.append(quote);
                    i += 2;
                    continue;
                }
                tokens.add(new Token(quote == '\'' ? Type.STRING : Type.QUOTED, text.toString(), start));
                return i + 1;
            }
            text.append(c);
            i++;
        }
        tokens.add(new Token(Type.UNTERMINATED, text.toString(), start));
        return sql.length();
    }

    /** A number runs over digits, dots, letters and an exponent's sign; a reader then decides whether it is one. */
    private static int numberEnd(String sql, int start) {
        int i = start;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            boolean exponentSign = (c == '+' || c == '-') && i > start
                    && Character.toLowerCase(sql.charAt(i - 1)) == 'e' && Character.isDigit(sql.charAt(start));
            if (Character.isLetterOrDigit(c) || c == '.' || c == '_' || exponentSign) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }
}
