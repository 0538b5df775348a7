package dev.fletcher.engine.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * SQL that users write and the engine runs inside a query of its own: a source's {@code sql} and a request's
 * {@code entity_sql}. It must be one query (SELECT, WITH, VALUES, FROM-first, TABLE, or a set operation of them) and
 * nothing else: no second statement, no DDL or DML, no COPY, ATTACH, INSTALL, LOAD, SET, PRAGMA, CALL or EXPORT.
 *
 * <p>Two checks, both before any warehouse sees the text:
 * <ol>
 * <li>Lexical, always: the text is read the ways the warehouses read strings, quoted names and comments (standard
 *     SQL; PostgreSQL's and DuckDB's {@code E'...'} and dollar quotes and nested comments; the backslash escapes and
 *     {@code #} comments of Spark, BigQuery and Snowflake). Under every one of those readings a {@code ;} may only end
 *     the text, every string, name and comment must close, and parentheses must balance, so the text cannot end the
 *     engine's statement or open another one in any warehouse. The words that begin the text and each parenthesised
 *     or following part must begin a query.</li>
 * <li>Structural, when Apache Calcite is on the class path and its lenient parser reads the text: exactly one
 *     statement, of a query kind. Dialect syntax Calcite does not know (DuckDB's {@code FROM}-first, Spark's
 *     {@code parquet.`path`}, COPY, PRAGMA, ...) leaves the decision to the words of the lexical check alone; text
 *     Calcite reads must pass both.</li>
 * </ol>
 * What a query may call once it runs (reading files, functions with side effects) is the warehouse's to bound: the
 * DuckDB plugin limits file access to configured folders, the PostgreSQL plugin runs queries read-only.
 */
public final class UserSql {
    /** Words a query may begin with. */
    private static final Set<String> QUERY_STARTS = Set.of("SELECT", "WITH", "VALUES", "FROM", "TABLE", "PIVOT",
            "UNPIVOT");
    /** Words that begin a statement other than a query; refused where a query part could begin. */
    private static final Set<String> STATEMENTS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "COPY",
            "CREATE", "DROP", "ALTER", "TRUNCATE", "RENAME", "GRANT", "REVOKE", "ATTACH", "DETACH", "INSTALL", "LOAD",
            "FORCE", "UNLOAD", "SET", "RESET", "PRAGMA", "CALL", "EXPORT", "IMPORT", "VACUUM", "CHECKPOINT", "BEGIN",
            "START", "COMMIT", "ROLLBACK", "ABORT", "END", "SAVEPOINT", "RELEASE", "USE", "EXECUTE", "PREPARE",
            "DEALLOCATE", "DO", "LOCK", "UNLOCK", "LISTEN", "NOTIFY", "UNLISTEN", "DISCARD", "COMMENT", "SECURITY",
            "REFRESH", "CLUSTER", "REINDEX", "ANALYZE", "EXPLAIN", "DESCRIBE", "SHOW", "SUMMARIZE", "DECLARE", "FETCH",
            "MOVE", "CLOSE", "PUT", "GET", "REMOVE", "LIST", "UNDROP", "MSCK", "REPAIR", "ADD", "OPTIMIZE", "ZORDER");

    private UserSql() {
    }

    /**
     * Checks user SQL.
     *
     * @param what names the SQL in the message, e.g. {@code entity_sql} or {@code source `txns`}
     * @throws PlanException naming the construct that is not allowed
     */
    public static void check(String what, String sql) {
        problem(sql).ifPresent(problem -> {
            throw new PlanException(what + ": " + problem);
        });
    }

    /** Why the SQL is refused, or empty when it is one query. */
    public static Optional<String> problem(String sql) {
        if (sql == null || sql.isBlank()) {
            return Optional.of("the SQL is empty; write one query");
        }
        for (Reading reading : Reading.ALL) {
            Optional<String> problem = new Scan(sql, reading).problem();
            if (problem.isPresent()) {
                return problem;
            }
        }
        if (Calcite.AVAILABLE) {
            Optional<String> problem = Calcite.problem(sql);
            if (problem.isPresent()) {
                return problem;
            }
        }
        for (String word : new Scan(sql, Reading.STANDARD).statementWords()) {
            if (!QUERY_STARTS.contains(word)) {
                return Optional.of(notAllowed(word));
            }
        }
        return Optional.empty();
    }

    static String notAllowed(String construct) {
        return "`" + construct + "` is not allowed in user SQL; only a single query is (SELECT, WITH, VALUES or a set"
                + " operation of them)";
    }

    /** One way of reading strings, quoted names and comments. */
    record Reading(boolean backslashEscapes, boolean extendedStrings, boolean dollarQuotes, boolean nestedComments,
            boolean hashComments) {
        static final Reading STANDARD = new Reading(false, true, true, false, false);
        static final List<Reading> ALL = all();

        private static List<Reading> all() {
            List<Reading> all = new ArrayList<>();
            for (int bits = 0; bits < 32; bits++) {
                all.add(new Reading((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, (bits & 8) != 0,
                        (bits & 16) != 0));
            }
            return List.copyOf(all);
        }
    }

    /** One pass over the text under one reading. */
    private static final class Scan {
        private final String sql;
        private final Reading reading;
        private final int n;
        private int i;

        Scan(String sql, Reading reading) {
            this.sql = sql;
            this.reading = reading;
            this.n = sql.length();
        }

        /** A statement separator before the end, an unclosed string, name or comment, or unbalanced parentheses. */
        Optional<String> problem() {
            int depth = 0;
            boolean ended = false;
            while (true) {
                Token token = next();
                if (token == null) {
                    break;
                }
                if (token.kind == Kind.UNCLOSED) {
                    return Optional.of("a string, quoted name or comment is not closed");
                }
                if (token.is(";")) {
                    ended = true;
                    continue;
                }
                if (ended) {
                    return Optional.of("only one statement is allowed, and it must be a query; remove the `;` and"
                            + " what follows it");
                }
                if (token.is("(")) {
                    depth++;
                } else if (token.is(")")) {
                    if (--depth < 0) {
                        return Optional.of("a `)` closes a parenthesis that was never opened");
                    }
                }
            }
            return depth == 0 ? Optional.empty() : Optional.of("a `(` is never closed");
        }

        /**
         * The words where a statement or a query part could begin: the first word, the first word inside each
         * parenthesis, and the word after each closing parenthesis when it is one of {@link #STATEMENTS} (a
         * {@code WITH} list followed by {@code INSERT}); {@code INTO} anywhere ({@code SELECT ... INTO} creates a
         * table).
         */
        List<String> statementWords() {
            List<String> words = new ArrayList<>();
            Token previous = null;
            boolean first = true;
            while (true) {
                Token token = next();
                if (token == null) {
                    break;
                }
                if (token.kind == Kind.WORD) {
                    String word = token.text.toUpperCase(Locale.ROOT);
                    if (first) {
                        words.add(word);
                    } else if (word.equals("INTO")) {
                        words.add("SELECT ... INTO");
                    } else if (previous != null && previous.is("(") && STATEMENTS.contains(word)) {
                        words.add(word);
                    } else if (previous != null && previous.is(")") && STATEMENTS.contains(word)) {
                        words.add(word);
                    }
                    first = false;
                } else if (!token.is("(")) {
                    if (first) {
                        words.add(token.kind == Kind.QUOTED ? "a quoted name or string" : token.text);
                    }
                    first = false;
                }
                previous = token;
            }
            return words;
        }

        /** The next token outside strings, quoted names and comments; null at the end. */
        private Token next() {
            while (i < n) {
                char c = sql.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '-' && peek(1) == '-' || reading.hashComments && c == '#') {
                    int eol = sql.indexOf('\n', i);
                    i = eol < 0 ? n : eol + 1;
                } else if (c == '/' && peek(1) == '*') {
                    if (!blockComment()) {
                        return new Token(Kind.UNCLOSED, "");
                    }
                } else if (c == '\'' || c == '"' || c == '`') {
                    boolean extended = reading.extendedStrings && c == '\'' && i > 0
                            && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                            && (i < 2 || !isWordPart(sql.charAt(i - 2)));
                    if (!quoted(c, reading.backslashEscapes || extended)) {
                        return new Token(Kind.UNCLOSED, "");
                    }
                    return new Token(Kind.QUOTED, "");
                } else if (c == '$' && reading.dollarQuotes && dollarTag() != null) {
                    String tag = dollarTag();
                    int close = sql.indexOf(tag, i + tag.length());
                    if (close < 0) {
                        i = n;
                        return new Token(Kind.UNCLOSED, "");
                    }
                    i = close + tag.length();
                    return new Token(Kind.QUOTED, "");
                } else if (isWordStart(c)) {
                    int start = i;
                    while (i < n && isWordPart(sql.charAt(i))) {
                        i++;
                    }
                    // E'...' is one string: the E is its prefix, not a word
                    if (reading.extendedStrings && i - start == 1 && i < n && sql.charAt(i) == '\''
                            && (c == 'E' || c == 'e')) {
                        continue;
                    }
                    return new Token(Kind.WORD, sql.substring(start, i));
                } else {
                    i++;
                    return new Token(Kind.SYMBOL, String.valueOf(c));
                }
            }
            return null;
        }

        private char peek(int ahead) {
            return i + ahead < n ? sql.charAt(i + ahead) : '\0';
        }

        private boolean blockComment() {
            int depth = 0;
            while (i < n) {
                if (sql.startsWith("/*", i)) {
                    depth = reading.nestedComments ? depth + 1 : Math.max(depth, 1);
                    i += 2;
                } else if (sql.startsWith("*/", i)) {
                    depth--;
                    i += 2;
                    if (depth == 0) {
                        return true;
                    }
                } else {
                    i++;
                }
            }
            return false;
        }

        private boolean quoted(char quote, boolean backslash) {
            i++;
            while (i < n) {
                char c = sql.charAt(i);
                if (backslash && c == '\\') {
                    i += 2;
                } else if (c == quote) {
                    if (peek(1) == quote) {
                        i += 2;
                    } else {
                        i++;
                        return true;
                    }
                } else {
                    i++;
                }
            }
            i = n;
            return false;
        }

        /** The dollar-quote tag starting here ({@code $$} or {@code $name$}), or null; a parameter {@code $1} is none. */
        private String dollarTag() {
            if (i > 0 && isWordPart(sql.charAt(i - 1))) {
                return null;
            }
            int j = i + 1;
            if (j < n && isWordStart(sql.charAt(j))) {
                while (j < n && isWordPart(sql.charAt(j)) && sql.charAt(j) != '$') {
                    j++;
                }
            }
            return j < n && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
        }

        private static boolean isWordStart(char c) {
            return Character.isLetter(c) || c == '_';
        }

        private static boolean isWordPart(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }
    }

    private enum Kind { WORD, SYMBOL, QUOTED, UNCLOSED }

    private record Token(Kind kind, String text) {
        boolean is(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }
    }

    /** The structural check, only touched when Calcite's parser is on the class path. */
    private static final class Calcite {
        static final boolean AVAILABLE = available();

        private static boolean available() {
            try {
                Class.forName("org.apache.calcite.sql.parser.SqlParser", false, UserSql.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }

        static Optional<String> problem(String sql) {
            return CalciteUserSql.problem(sql);
        }
    }
}
