package dev.fletcher.server.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.fletcher.catalog.lang.BundleError;
import java.util.List;

/**
 * An RFC 9457 problem detail: every error answer of the API has this shape.
 *
 * @param errors for a rejected bundle, every problem found, each naming document, line and field
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<BundleError> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    /** The type URI of a Fletcher problem; plain HTTP errors use {@code about:blank}. */
    public static String type(String slug) {
        return "urn:fletcher:problem:" + slug;
    }
}
