package dev.fletcher.catalog.model;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A randomized comparison of variants: subjects of {@code entity} assigned by a source, outcomes measured
 * over [a, a + window) from each subject's first assignment a.
 *
 * @param control the control variant's value in the assignments' variant column
 * @param cuped   the default CUPED covariate window, or null when CUPED is off ({@code cuped: false})
 * @param split   the planned share of each variant (weights, any scale); empty means equal shares
 */
public record Experiment(
        String name,
        String entity,
        Assignments assignments,
        String control,
        Window window,
        List<String> metrics,
        Cuped cuped,
        Map<String, Double> split,
        String description,
        Map<String, String> tags) implements CatalogObject {

    public static final String DEFAULT_CONTROL = "control";
    public static final Window DEFAULT_CUPED_LOOKBACK = Window.parse("14d");

    public Experiment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(assignments, "assignments");
        Objects.requireNonNull(window, "window");
        if (control == null || control.isBlank()) {
            throw new IllegalArgumentException("an experiment needs a control variant");
        }
        metrics = List.copyOf(metrics);
        split = split == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(split));
        tags = Tags.copy(tags);
    }

    /**
     * Where assignments come from; the time of an assignment is the source's timestamp.
     *
     * @param variant the column holding each row's variant
     */
    public record Assignments(String source, String variant) {
        public Assignments {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(variant, "variant");
        }
    }

    /** CUPED's default covariate: each metric's own value over [a - lookback, a). */
    public record Cuped(Window lookback) {
        public Cuped {
            Objects.requireNonNull(lookback, "lookback");
        }
    }

    @Override
    public Kind kind() {
        return Kind.EXPERIMENT;
    }

    public boolean cupedEnabled() {
        return cuped != null;
    }

    @Override
    public Set<ObjectKey> references() {
        Set<ObjectKey> keys = new HashSet<>();
        keys.add(new ObjectKey(Kind.ENTITY, entity));
        keys.add(new ObjectKey(Kind.SOURCE, assignments.source()));
        metrics.forEach(m -> keys.add(new ObjectKey(Kind.METRIC, m)));
        return Set.copyOf(keys);
    }
}
