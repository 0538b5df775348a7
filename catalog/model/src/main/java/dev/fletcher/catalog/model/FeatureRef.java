package dev.fletcher.catalog.model;

import java.util.Objects;

/**
 * A feature as requests name it: {@code <feature_view>:<feature>}. Its output column is
 * {@code <feature_view>__<feature>}.
 */
public record FeatureRef(String view, String feature) {
    public FeatureRef {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(feature, "feature");
    }

    /**
     * Reads {@code customer_profile:plan}.
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static FeatureRef parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0 || text.indexOf(':', colon + 1) >= 0
                || !Names.isName(text.substring(0, colon)) || !Names.isName(text.substring(colon + 1))) {
            throw new IllegalArgumentException("'" + text + "' is not a feature reference: write <feature_view>:<feature>,"
                    + " e.g. customer_profile:plan");
        }
        return new FeatureRef(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The name of the feature's column in training sets and online answers. */
    public String column() {
        return view + Names.SEPARATOR + feature;
    }

    @Override
    public String toString() {
        return view + ":" + feature;
    }
}
