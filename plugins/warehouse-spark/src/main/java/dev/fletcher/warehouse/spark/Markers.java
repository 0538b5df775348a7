package dev.fletcher.warehouse.spark;

/**
 * Rewrites the positional {@code ?} markers of a statement as named ones ({@code :_fl_p1}, {@code :_fl_p2}, ...),
 * skipping string literals, quoted identifiers and comments. Spark Connect binds named arguments by name; its
 * positional binding loses the order once a statement has more than four arguments (Spark 4.2).
 */
final class Markers {
    static final String PREFIX = "_fl_p";

    private Markers() {
    }

    /** The statement with its markers named; {@code count} is how many the caller binds (checked here). */
    static String named(String sql, int count) {
        StringBuilder out = new StringBuilder(sql.length() + 8 * count);
        int markers = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = i + 1;
                while (end < n && sql.charAt(end) != c) {
                    end += c != '`' && sql.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (c == '?') {
                markers++;
                out.append(':').append(PREFIX).append(markers);
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        if (markers != count) {
            throw new IllegalArgumentException("the statement has " + markers + " parameter markers but " + count
                    + " values");
        }
        return out.toString();
    }
}
