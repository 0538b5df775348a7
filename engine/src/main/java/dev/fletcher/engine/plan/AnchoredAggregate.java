package dev.fletcher.engine.plan;

import java.util.List;
import java.util.Objects;

/**
 * The engine's one primitive: for every anchor (a key and a time), the measures over the source rows of that key
 * whose event time falls in each measure's window of the anchor time. Training sets, online features, metrics,
 * monitors and experiments differ only in where the anchors come from and which windows they ask for.
 *
 * @param asKnown rows whose created time is after the anchor are invisible (only when the source has one)
 */
public record AnchoredAggregate(SourceScan source, List<Measure> measures, boolean asKnown) {
    public AnchoredAggregate {
        Objects.requireNonNull(source, "source");
        measures = List.copyOf(measures);
    }

    public List<Measure.Windowed> windowed() {
        return measures.stream().filter(Measure.Windowed.class::isInstance).map(Measure.Windowed.class::cast).toList();
    }

    public List<Measure.Latest> latest() {
        return measures.stream().filter(Measure.Latest.class::isInstance).map(Measure.Latest.class::cast).toList();
    }

    /** Whether as-known visibility applies: asked for, and the source records when rows arrived. */
    public boolean usesCreatedTime() {
        return asKnown && source.createdTimestamp() != null;
    }

    /**
     * The event-time range (relative to the anchors) the source must be read over to serve every measure; its
     * lower bound is null when some measure reaches back without limit.
     */
    public RelativeWindow scanWindow() {
        RelativeWindow.Bound lower = null;
        boolean unbounded = false;
        RelativeWindow.Bound upper = null;
        for (Measure m : measures) {
            RelativeWindow w = m.window();
            if (w.lower() == null) {
                unbounded = true;
            } else if (lower == null || w.lower().offsetSeconds() < lower.offsetSeconds()
                    || (w.lower().offsetSeconds() == lower.offsetSeconds() && w.lower().inclusive())) {
                lower = w.lower();
            }
            if (upper == null || w.upper().offsetSeconds() > upper.offsetSeconds()
                    || (w.upper().offsetSeconds() == upper.offsetSeconds() && w.upper().inclusive())) {
                upper = w.upper();
            }
        }
        if (upper == null) {
            throw new IllegalStateException("an aggregate without measures has no scan window");
        }
        return new RelativeWindow(unbounded ? null : lower, upper);
    }
}
