package dev.fletcher.catalog.lang;

/**
 * One problem found in a bundle.
 *
 * @param document which document: the bundle's name and the document's 1-based position, e.g. {@code catalog.yaml#3}
 * @param line     1-based line in the bundle text, or null when the problem has no place in it
 * @param field    dotted path of the field at fault, e.g. {@code features[2].window}, or null for the whole document
 * @param message  what is wrong, in words a catalog author can act on
 */
public record BundleError(String document, Integer line, String field, String message) {
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(document);
        if (line != null) {
            text.append(" line ").append(line);
        }
        if (field != null) {
            text.append(" field '").append(field).append('\'');
        }
        return text.append(": ").append(message).toString();
    }
}
