package dev.fletcher.catalog.lang;

import dev.fletcher.catalog.model.CatalogObject;
import java.util.Map;

/**
 * One object read from a bundle, with where it came from.
 *
 * @param object     the typed definition
 * @param document   the document's label, e.g. {@code catalog.yaml#3}
 * @param line       1-based line of the document's first line in the bundle text
 * @param spec       canonical JSON of the definition (keys sorted, defaults applied): equal specs mean unchanged
 * @param fieldLines 1-based line of each field given, by dotted path (e.g. {@code features[2].window})
 */
public record ParsedObject(CatalogObject object, String document, int line, String spec, Map<String, Integer> fieldLines) {
    public ParsedObject {
        fieldLines = fieldLines == null ? Map.of() : Map.copyOf(fieldLines);
    }

    public ParsedObject(CatalogObject object, String document, int line, String spec) {
        this(object, document, line, spec, Map.of());
    }

    /** The line of a field, or of the nearest enclosing field given, or the document's line. */
    public int lineOf(String field) {
        String path = field;
        while (path != null && !path.isEmpty()) {
            Integer found = fieldLines.get(path);
            if (found != null) {
                return found;
            }
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            path = cut < 0 ? null : path.substring(0, cut);
        }
        return line;
    }
}
