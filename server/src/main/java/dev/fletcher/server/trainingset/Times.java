package dev.fletcher.server.trainingset;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reads the times a request may carry: ISO-8601 with a zone, without one (UTC), or a date (its midnight UTC). */
public final class Times {
    public static final String FORMATS = "ISO-8601 such as 2026-03-01T10:15:00Z, 2026-03-01T10:15:00 (UTC) or 2026-03-01";

    private Times() {
    }

    /** @throws IllegalArgumentException when the text is none of the accepted forms */
    public static Instant parse(String text) {
        String value = text.strip();
        String iso = value.length() > 10 && value.charAt(10) == ' ' ? value.substring(0, 10) + 'T' + value.substring(11)
                : value;
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the forms without a zone
        }
        try {
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try a date
        }
        try {
            return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use " + FORMATS);
        }
    }

    public static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
    }
}
