package dev.fletcher.server.trainingset;

import dev.fletcher.engine.plan.RequestTimes;
import java.time.Instant;

/** Reads the times a request may carry: ISO-8601 with a zone, without one (UTC), or a date (its midnight UTC). */
public final class Times {
    public static final String FORMATS = RequestTimes.FORMATS;

    private Times() {
    }

    /** @throws IllegalArgumentException when the text is none of the accepted forms */
    public static Instant parse(String text) {
        return RequestTimes.parse(text);
    }

    public static long micros(Instant instant) {
        return RequestTimes.micros(instant);
    }
}
