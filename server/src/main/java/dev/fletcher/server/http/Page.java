package dev.fletcher.server.http;

import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.problem.Subject;

/**
 * One page of a list that is read newest first: at most {@code limit} entries after skipping {@code offset}.
 */
public record Page(int limit, int offset) {
    /** The most entries one page may hold. */
    public static final int MAX_LIMIT = 1000;

    /** The offset of the page after this one. */
    public int next() {
        return offset + limit;
    }

    /**
     * Reads {@code limit} and {@code offset} query parameters.
     *
     * @param limit        as sent, or null for {@code defaultLimit}
     * @param offset       as sent, or null for 0
     * @throws RequestException (invalid) when either is not a number in range
     */
    public static Page of(String limit, String offset, int defaultLimit, Subject subject) {
        int parsedLimit = number("limit", limit, defaultLimit, subject);
        int parsedOffset = number("offset", offset, 0, subject);
        if (parsedLimit < 1 || parsedLimit > MAX_LIMIT) {
            throw RequestException.invalid(subject, "'limit' must be between 1 and " + MAX_LIMIT + "; got "
                    + parsedLimit);
        }
        if (parsedOffset < 0) {
            throw RequestException.invalid(subject, "'offset' must be 0 or more; got " + parsedOffset);
        }
        return new Page(parsedLimit, parsedOffset);
    }

    private static int number(String name, String text, int otherwise, Subject subject) {
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw RequestException.invalid(subject, "'" + name + "' must be a whole number");
        }
    }
}
