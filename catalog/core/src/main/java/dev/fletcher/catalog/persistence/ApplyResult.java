package dev.fletcher.catalog.persistence;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of an apply.
 *
 * @param catalogVersion the catalog version after the apply (unchanged by a dry run or an apply that changes nothing)
 * @param dryRun         whether nothing was written
 * @param changes        one entry per object of the bundle, then one per deleted object
 */
public record ApplyResult(long catalogVersion, boolean dryRun, List<PlannedChange> changes) {
    public ApplyResult {
        changes = List.copyOf(changes);
    }

    /** How many objects each action touched, every action present (zero when none). */
    public Map<PlannedChange.Action, Integer> counts() {
        Map<PlannedChange.Action, Integer> counts = new EnumMap<>(PlannedChange.Action.class);
        for (PlannedChange.Action action : PlannedChange.Action.values()) {
            counts.put(action, 0);
        }
        changes.forEach(c -> counts.merge(c.action(), 1, Integer::sum));
        return counts;
    }

    public boolean changedAnything() {
        return changes.stream().anyMatch(c -> c.action() != PlannedChange.Action.UNCHANGED);
    }
}
