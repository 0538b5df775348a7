package dev.fletcher.server.monitor;

import dev.fletcher.examples.ExampleData;
import dev.fletcher.server.config.FletcherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The time monitors are evaluated at when no time is given: the scheduler's, and a run without {@code ?at=}. The real
 * clock, unless {@code fletcher.monitors.clock} names the instant the clock shows at start (it runs forward from
 * there). With the example enabled and no clock configured, it starts where the example's data ends: a monitor
 * evaluated at today's date would find no data and read {@code no_data}.
 */
@ApplicationScoped
public class MonitorClock {
    /** The real clock. */
    static final String REAL = "now";

    private final Duration offset;

    @Inject
    public MonitorClock(MonitorConfig config, FletcherConfig fletcher) {
        String clock = config.monitors().clock().map(String::trim).filter(c -> !c.isEmpty())
                .orElse(fletcher.example().enabled() ? ExampleData.END.toString() : REAL);
        this.offset = clock.equalsIgnoreCase(REAL) ? Duration.ZERO : Duration.between(Instant.now(), start(clock));
    }

    private static Instant start(String clock) {
        try {
            return Instant.parse(clock);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("fletcher.monitors.clock: '" + clock + "' is neither 'now' nor an"
                    + " ISO-8601 instant such as 2026-03-02T00:00:00Z");
        }
    }

    /** The monitors' current time. */
    public Instant now() {
        return Instant.now().plus(offset);
    }

    /** Whether this clock is the real one. */
    public boolean real() {
        return offset.isZero();
    }
}
