package dev.fletcher.server.monitor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Monitor scheduling and alerting, under {@code fletcher.monitors.} and {@code fletcher.alerts.}. */
@ConfigMapping(prefix = "fletcher")
public interface MonitorConfig {
    Monitors monitors();

    Alerts alerts();

    interface Monitors {
        /** Evaluate every monitor on its {@code every} schedule. */
        @WithDefault("true")
        boolean schedule();

        /**
         * The instant the monitors' clock shows at start ({@code now} for the real clock); see {@link MonitorClock}.
         * Unset: the real clock, or with the example enabled the end of the example's data.
         */
        Optional<String> clock();

        /** How often the scheduler looks for monitors that are due. */
        @WithDefault("30s")
        Duration tick();

        /** How many past evaluations {@code GET /api/v1/monitors/{name}} shows. */
        @WithDefault("20")
        int history();
    }

    interface Alerts {
        /** When set, every change of a monitor's state is POSTed here as JSON. */
        Optional<String> webhook();

        @WithDefault("5s")
        Duration webhookTimeout();

        /**
         * How many times one change is sent before it is given up: a failed call (no answer, a 5xx, 408 or 429) is
         * sent again after {@link #webhookBackoff()}, doubling each time; any other 4xx is not sent again.
         */
        @WithDefault("5")
        int webhookAttempts();

        /** The wait before the first retry; each later one waits twice as long as the one before. */
        @WithDefault("2s")
        Duration webhookBackoff();
    }
}
