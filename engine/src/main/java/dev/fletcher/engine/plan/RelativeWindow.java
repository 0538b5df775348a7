package dev.fletcher.engine.plan;

/**
 * Which event times count, relative to an anchor time a: the one notion of "window" every use of the engine
 * shares. Offsets are whole seconds from the anchor (negative = before it); a missing lower bound reaches back
 * without limit.
 *
 * <ul>
 *   <li>{@link #trailing}: (a - W, a], training sets, online features and monitors;</li>
 *   <li>{@link #forward}: [a, a + W), experiment outcomes;</li>
 *   <li>{@link #preceding}: [a - L, a), covariates measured strictly before the anchor;</li>
 *   <li>{@link #asOf}: [a - ttl, a] or everything up to a, latest values.</li>
 * </ul>
 *
 * @param lower the earliest event time that counts, or null for no limit
 * @param upper the latest event time that counts
 */
public record RelativeWindow(Bound lower, Bound upper) {
    /** An event-time limit at anchor + offsetSeconds, the limit itself included or not. */
    public record Bound(long offsetSeconds, boolean inclusive) {
    }

    public RelativeWindow {
        if (upper == null) {
            throw new IllegalArgumentException("a window needs an upper bound");
        }
        if (lower != null && (lower.offsetSeconds() > upper.offsetSeconds()
                || (lower.offsetSeconds() == upper.offsetSeconds() && !(lower.inclusive() && upper.inclusive())))) {
            throw new IllegalArgumentException("empty window: " + lower + " .. " + upper);
        }
    }

    /** (a - W, a]. */
    public static RelativeWindow trailing(long seconds) {
        return new RelativeWindow(new Bound(-positive(seconds), false), new Bound(0, true));
    }

    /** [a, a + W). */
    public static RelativeWindow forward(long seconds) {
        return new RelativeWindow(new Bound(0, true), new Bound(positive(seconds), false));
    }

    /** [a - L, a). */
    public static RelativeWindow preceding(long seconds) {
        return new RelativeWindow(new Bound(-positive(seconds), true), new Bound(0, false));
    }

    /** [a - ttl, a], or (-inf, a] when ttl is null. */
    public static RelativeWindow asOf(Long ttlSeconds) {
        return new RelativeWindow(ttlSeconds == null ? null : new Bound(-ttlSeconds, true), new Bound(0, true));
    }

    /** Whether the window ends at the anchor (inclusive or not), as latest-value lookups need. */
    public boolean endsAtAnchor() {
        return upper.offsetSeconds() == 0;
    }

    private static long positive(long seconds) {
        if (seconds <= 0) {
            throw new IllegalArgumentException("a window must be longer than zero seconds, got " + seconds);
        }
        return seconds;
    }

    @Override
    public String toString() {
        String from = lower == null ? "(-inf" : (lower.inclusive() ? "[" : "(") + "a" + offset(lower.offsetSeconds());
        return from + ", a" + offset(upper.offsetSeconds()) + (upper.inclusive() ? "]" : ")");
    }

    private static String offset(long seconds) {
        return seconds == 0 ? "" : seconds > 0 ? " + " + seconds + "s" : " - " + (-seconds) + "s";
    }
}
