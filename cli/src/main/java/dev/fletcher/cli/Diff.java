package dev.fletcher.cli;

import java.util.ArrayList;
import java.util.List;

/** A line diff of two small texts (catalog definitions), unified style with a few lines of context. */
final class Diff {
    private static final int CONTEXT = 3;

    private Diff() {
    }

    static String unified(String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        // Longest common subsequence; definitions are tens of lines, so the square table is small.
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                lines.add("  " + a.get(i));
                i++;
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                lines.add("+ " + b.get(j++));
            } else {
                lines.add("- " + a.get(i++));
            }
        }
        return trim(lines);
    }

    /** Keeps changed lines and their context; a run of unchanged lines longer than that shows as "...". */
    private static String trim(List<String> lines) {
        boolean[] keep = new boolean[lines.size()];
        for (int k = 0; k < lines.size(); k++) {
            if (!lines.get(k).startsWith("  ")) {
                for (int c = Math.max(0, k - CONTEXT); c <= Math.min(lines.size() - 1, k + CONTEXT); c++) {
                    keep[c] = true;
                }
            }
        }
        StringBuilder text = new StringBuilder();
        boolean skipped = false;
        for (int k = 0; k < lines.size(); k++) {
            if (keep[k]) {
                text.append(lines.get(k)).append('\n');
                skipped = false;
            } else if (!skipped) {
                text.append("  ...\n");
                skipped = true;
            }
        }
        return text.toString();
    }
}
