package dev.fletcher.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * A progress line on stderr, redrawn in place: shown on a terminal, or when asked for with {@code --progress}; never
 * mixed into stdout, so pipes and files get only the answer.
 */
final class Progress {
    private static final int WIDTH = 30;

    @Option(names = "--progress", negatable = true, description = "Show progress on stderr (default: only on a"
            + " terminal).")
    Boolean wanted;

    private PrintWriter err;
    private boolean shown;
    private long started;

    Progress start(PrintWriter err) {
        this.err = err;
        this.started = System.nanoTime();
        this.shown = wanted != null ? wanted : System.console() != null;
        return this;
    }

    /** A bar for a known total. */
    void bar(long done, long total, String text) {
        if (!shown) {
            return;
        }
        double share = total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(share * WIDTH);
        draw("[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total + "  " + text);
    }

    /** A running count when the total is not known in advance. */
    void count(String text) {
        if (shown) {
            draw(text);
        }
    }

    void finish(String text) {
        if (shown) {
            draw(text);
            err.println();
            err.flush();
        }
    }

    String elapsed() {
        return String.format(java.util.Locale.ROOT, "%.1fs", (System.nanoTime() - started) / 1e9);
    }

    private void draw(String text) {
        err.print("\r" + text + "\u001b[K");
        err.flush();
    }
}
