package dev.fletcher.server.online;

/** An online request that cannot be served, with the reason a user can act on. */
public class OnlineException extends RuntimeException {
    /** How the refusal is answered over HTTP. */
    public enum Reason {
        /** The request is wrong (400). */
        INVALID(400, "Invalid online request"),
        /** What the path names does not exist (404). */
        NOT_FOUND(404, "Not found"),
        /** The view has no online values for this request yet (409): materialize it. */
        NOT_MATERIALIZED(409, "Not materialized"),
        /** The request clashes with how the view is kept (409), e.g. batch runs of a stream-fed view. */
        CONFLICT(409, "Conflict"),
        /** The online store cannot be reached (503): try again. */
        UNAVAILABLE(503, "Online store unavailable"),
        /** The warehouse failed on a query the catalog defines (502). */
        WAREHOUSE(502, "Warehouse failed");

        final int status;
        final String title;

        Reason(int status, String title) {
            this.status = status;
            this.title = title;
        }
    }

    private final Reason reason;

    public OnlineException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public OnlineException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    static OnlineException invalid(String message) {
        return new OnlineException(Reason.INVALID, message);
    }

    public Reason reason() {
        return reason;
    }
}
