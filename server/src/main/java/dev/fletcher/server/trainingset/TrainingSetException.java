package dev.fletcher.server.trainingset;

/** A training-set request that cannot be served, with the reason a user can act on. */
public class TrainingSetException extends RuntimeException {
    /** What kind of refusal this is; REST and Flight each map it to their own status. */
    public enum Reason {
        /** The request itself is wrong (HTTP 400, Flight INVALID_ARGUMENT). */
        INVALID,
        /** A ticket that is unknown or expired (HTTP 404, Flight NOT_FOUND). */
        NOT_FOUND,
        /** Too many JSON entity rows (HTTP 413, Flight RESOURCE_EXHAUSTED). */
        TOO_LARGE,
        /** Too many uploads wait for their DoGet (HTTP 429, Flight RESOURCE_EXHAUSTED). */
        BUSY,
        /** The client accepts neither answer format (HTTP 406). */
        NOT_ACCEPTABLE,
        /** The warehouse failed on a query the catalog defines (HTTP 502, Flight INTERNAL). */
        WAREHOUSE
    }

    private final Reason reason;

    public TrainingSetException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TrainingSetException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    static TrainingSetException invalid(String message) {
        return new TrainingSetException(Reason.INVALID, message);
    }

    public Reason reason() {
        return reason;
    }
}
