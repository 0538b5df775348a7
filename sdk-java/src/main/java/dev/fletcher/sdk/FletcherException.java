package dev.fletcher.sdk;

import java.util.List;

/**
 * The server refused a request: an {@code application/problem+json} answer (RFC 9457) turned into an exception.
 * {@link #errors()} lists every problem of a rejected bundle, each with its document, line and field.
 */
public class FletcherException extends RuntimeException {
    private final int status;
    private final String title;
    private final String detail;
    private final List<BundleError> errors;

    public FletcherException(int status, String title, String detail, List<BundleError> errors) {
        super(message(status, title, detail));
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    private static String message(int status, String title, String detail) {
        StringBuilder text = new StringBuilder().append(status);
        if (title != null && !title.isBlank()) {
            text.append(' ').append(title);
        }
        if (detail != null && !detail.isBlank()) {
            text.append(": ").append(detail);
        }
        return text.toString();
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The problem's short summary, or null. */
    public String title() {
        return title;
    }

    /** What went wrong in this request, or null. */
    public String detail() {
        return detail;
    }

    /** The problems found in a bundle; empty for other errors. */
    public List<BundleError> errors() {
        return errors;
    }
}
