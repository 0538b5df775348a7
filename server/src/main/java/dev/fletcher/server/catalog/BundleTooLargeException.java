package dev.fletcher.server.catalog;

/** A bundle over {@code fletcher.catalog.max-bundle-bytes}. */
public class BundleTooLargeException extends RuntimeException {
    public BundleTooLargeException(long limit) {
        super("the bundle is larger than " + limit + " bytes (fletcher.catalog.max-bundle-bytes); split it into"
                + " several applies or raise the limit");
    }
}
