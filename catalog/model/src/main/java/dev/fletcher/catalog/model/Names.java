package dev.fletcher.catalog.model;

import java.util.regex.Pattern;

/** The naming rules of the definition language. */
public final class Names {
    /** Names of catalog objects and features. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    /** Warehouse column names a definition points at (sources are free to use capitals). */
    public static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /**
     * Training-set columns and metric dimensions are named {@code <feature_view>__<feature>}, so a double
     * underscore inside either name would make that split ambiguous.
     */
    public static final String SEPARATOR = "__";

    private Names() {
    }

    public static boolean isName(String text) {
        return text != null && NAME.matcher(text).matches();
    }

    public static boolean isColumn(String text) {
        return text != null && COLUMN.matcher(text).matches();
    }
}
