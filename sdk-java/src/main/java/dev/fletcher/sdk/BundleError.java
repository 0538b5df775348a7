package dev.fletcher.sdk;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One problem the server found in a bundle.
 *
 * @param document the document, e.g. {@code catalog.yaml#3}
 * @param line     1-based line in the bundle text, or null
 * @param field    the field at fault, e.g. {@code features[2].window}, or null for the whole document
 * @param message  what is wrong
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BundleError(String document, Integer line, String field, String message) {
}
