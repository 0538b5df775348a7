package dev.fletcher.server.catalog;

/** A request named a kind or an object the catalog does not have. */
public class UnknownObjectException extends RuntimeException {
    public UnknownObjectException(String message) {
        super(message);
    }
}
