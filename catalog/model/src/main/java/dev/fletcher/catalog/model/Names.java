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

    /** {@link #NAME}, checked without a regular expression: online reads check every feature they are asked for. */
    public static boolean isName(String text) {
        if (text == null || text.isEmpty() || text.length() > 63) {
            return false;
        }
        char first = text.charAt(0);
        if (first < 'a' || first > 'z') {
            return false;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    public static boolean isColumn(String text) {
        return text != null && COLUMN.matcher(text).matches();
    }
}
