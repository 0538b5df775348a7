package dev.fletcher.engine.plan;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reads the times a request may carry: ISO-8601 with a zone (converted to UTC), without one (UTC), or a date. */
public final class RequestTimes {
    public static final String FORMATS = "ISO-8601 such as 2026-03-01T10:15:00Z, 2026-03-01T10:15:00 (UTC) or 2026-03-01";

    private RequestTimes() {
    }

    /**
     * The instant a text names; a date means its midnight UTC, and a space may stand for the {@code T}.
     *
     * @throws IllegalArgumentException when the text is none of the accepted forms
     */
    public static Instant parse(String text) {
        String value = text.strip();
        String iso = value.length() > 10 && value.charAt(10) == ' ' ? value.substring(0, 10) + 'T' + value.substring(11)
                : value;
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException ignored) {
            // the forms without a zone follow
        }
        try {
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // a date follows
        }
        try {
            return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use " + FORMATS);
        }
    }

    /** Microseconds since the epoch, the unit event times are compared in. */
    public static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
    }
}
