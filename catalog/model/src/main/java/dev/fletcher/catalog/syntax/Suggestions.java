package dev.fletcher.catalog.syntax;

import java.util.Collection;

/** "Did you mean" hints for misspelt field names, kinds and enum values. */
public final class Suggestions {
    private Suggestions() {
    }

    /** The closest candidate within a few edits, or null when none is close enough to be a likely typo. */
    public static String closest(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int allowed = Math.max(2, typed.length() / 3);
        for (String candidate : candidates) {
            // the distance is at least the difference in length: a far longer text (say a hostile one) costs nothing
            if (Math.abs(typed.length() - candidate.length()) > allowed) {
                continue;
            }
            int d = distance(typed.toLowerCase(), candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= allowed ? best : null;
    }

    /** ", did you mean 'x'?" or an empty string. */
    public static String hint(String typed, Collection<String> candidates) {
        String close = closest(typed, candidates);
        return close == null ? "" : " (did you mean '" + close + "'?)";
    }

    /** Levenshtein distance, with a swap of two neighbours counting as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
