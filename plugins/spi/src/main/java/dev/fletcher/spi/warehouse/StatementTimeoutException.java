package dev.fletcher.spi.warehouse;

import dev.fletcher.spi.PluginException;
import java.time.Duration;

/**
 * A statement ran past the warehouse's statement timeout and was cancelled in the warehouse. It is the query's to
 * change (narrow it, or ask for less), not the warehouse's failure.
 */
public class StatementTimeoutException extends PluginException {
    private final Duration timeout;

    public StatementTimeoutException(String message, Duration timeout, Throwable cause) {
        super(message, cause);
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    /** A duration as configured: {@code 300ms}, {@code 5s}, {@code 5m}, {@code 2h}. */
    public static String words(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
