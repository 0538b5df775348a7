package dev.fletcher.catalog.model;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A length of time as catalog authors write it: a whole number and a unit, {@code 30s 5m 3h 14d 2w}.
 * The text is kept as written so that a stored definition reads back the way it was applied.
 *
 * @param text    the duration as written, e.g. {@code 14d}
 * @param seconds its length in seconds
 */
public record Window(String text, long seconds) implements Comparable<Window> {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,9})([smhdw])");
    /** A hundred years: longer durations are typing mistakes, and the bound keeps arithmetic on them safe. */
    private static final long MAX_SECONDS = 100L * 365 * 86_400;

    public Window {
        Objects.requireNonNull(text, "text");
        if (seconds < 0) {
            throw new IllegalArgumentException("a duration cannot be negative: " + text);
        }
    }

    /**
     * Reads a duration such as {@code 7d}.
     *
     * @throws IllegalArgumentException with a message a catalog author can act on
     */
    public static Window parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write a whole number and one of the units"
                    + " s, m, h, d, w, e.g. 30s, 5m, 3h, 14d, 2w");
        }
        long amount = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3_600;
            case "d" -> 86_400;
            default -> 604_800;
        };
        if (amount > MAX_SECONDS / unit) {
            throw new IllegalArgumentException("'" + text + "' is longer than 100 years");
        }
        return new Window(m.group(), amount * unit);
    }

    public static Window ofSeconds(long seconds) {
        return new Window(seconds + "s", seconds);
    }

    public Duration toDuration() {
        return Duration.ofSeconds(seconds);
    }

    public boolean isZero() {
        return seconds == 0;
    }

    @Override
    public int compareTo(Window other) {
        return Long.compare(seconds, other.seconds);
    }

    @Override
    public String toString() {
        return text;
    }
}
