package dev.fletcher.catalog.model;

import java.util.Arrays;
import java.util.Optional;

/** How a drift monitor compares the current window with the baseline. */
public enum DriftMethod {
    /** Population stability index over quantile bins of the baseline. */
    PSI("psi"),
    /** Kolmogorov–Smirnov statistic: the largest gap between the two empirical distributions. */
    KS("ks");

    private final String id;

    DriftMethod(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<DriftMethod> fromId(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
