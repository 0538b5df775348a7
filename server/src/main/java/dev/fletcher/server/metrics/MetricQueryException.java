package dev.fletcher.server.metrics;

/** A metrics query that cannot be answered, with the reason a user can act on. */
public class MetricQueryException extends RuntimeException {
    /** What kind of refusal this is; REST and Flight each map it to their own status. */
    public enum Reason {
        /** The request is wrong (HTTP 400, Flight INVALID_ARGUMENT). */
        INVALID,
        /** The client accepts no answer format offered (HTTP 406). */
        NOT_ACCEPTABLE,
        /** The warehouse failed on SQL the catalog defines (HTTP 502, Flight INTERNAL). */
        WAREHOUSE
    }

    private final Reason reason;

    public MetricQueryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public static MetricQueryException invalid(String message) {
        return new MetricQueryException(Reason.INVALID, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
