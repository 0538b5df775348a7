package dev.fletcher.catalog.lang;

import java.util.List;
import java.util.stream.Collectors;

/** A bundle was rejected as a whole; {@link #errors()} lists every problem found. */
public class BundleException extends RuntimeException {
    private final List<BundleError> errors;

    public BundleException(List<BundleError> errors) {
        super(errors.stream().map(BundleError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<BundleError> errors() {
        return errors;
    }
}
