package dev.fletcher.spi.online;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Entity keys as the online store files them: each key column's value as canonical text (strings as they are,
 * whole numbers in decimal, times in ISO-8601 UTC), composite keys joined by U+001F. A request's {@code "42"} and
 * {@code 42} name the same entity, as they would in a warehouse comparing them.
 */
public final class OnlineKeys {
    /** Separates the parts of a composite key; the unit separator does not occur in real keys. */
    public static final char SEPARATOR = '\u001f';

    private OnlineKeys() {
    }

    /** The stored key, or null when a part is null (a null key has no features). */
    public static String encode(List<?> parts) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            String part = part(parts.get(i));
            if (part == null) {
                return null;
            }
            if (i > 0) {
                key.append(SEPARATOR);
            }
            key.append(part);
        }
        return key.toString();
    }

    /** The key's parts as text. */
    public static List<String> decode(String key) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= key.length(); i++) {
            if (i == key.length() || key.charAt(i) == SEPARATOR) {
                parts.add(key.substring(start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    /** One key value as canonical text; null for null. */
    public static String part(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Long.toString(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
        if (value instanceof BigDecimal d) {
            BigDecimal stripped = d.stripTrailingZeros();
            return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
        }
        if (value instanceof Instant || value instanceof LocalDate || value instanceof Boolean) {
            return value.toString();
        }
        throw new IllegalArgumentException("an entity key cannot be a " + value.getClass().getSimpleName());
    }
}
