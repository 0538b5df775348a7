package dev.fletcher.catalog.persistence;

import java.time.Instant;
import java.util.Objects;

/**
 * A monitor's evaluation at time {@code at}.
 *
 * @param value  the metric or drift statistic, or null without data
 * @param state  {@code ok}, {@code alerting} or {@code no_data}
 * @param detail what was compared, for people reading it
 * @param ranAt  when the evaluation ran
 */
public record MonitorEvaluation(String monitor, Instant at, Double value, String state, String detail, Instant ranAt) {
    public static final String OK = "ok";
    public static final String ALERTING = "alerting";
    public static final String NO_DATA = "no_data";

    public MonitorEvaluation {
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(ranAt, "ranAt");
        if (detail != null && detail.length() > 2000) {
            detail = detail.substring(0, 2000);
        }
    }
}
