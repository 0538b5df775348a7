package dev.fletcher.catalog.lang;

import dev.fletcher.catalog.model.CatalogObject;

/**
 * One object read from a bundle, with where it came from.
 *
 * @param object   the typed definition
 * @param document the document's label, e.g. {@code catalog.yaml#3}
 * @param line     1-based line of the document's first line in the bundle text
 * @param spec     canonical JSON of the definition (keys sorted, defaults applied): equal specs mean unchanged
 */
public record ParsedObject(CatalogObject object, String document, int line, String spec) {
}
