package dev.fletcher.server.problem;

/**
 * A request the server refuses or fails on, with the reason a user can act on. The one exception the server's own
 * code throws for a user; REST and Flight each answer it once, from its {@link Reason}.
 */
public class RequestException extends RuntimeException {
    private final Reason reason;
    private final Subject subject;

    public RequestException(Reason reason, Subject subject, String message) {
        this(reason, subject, message, null);
    }

    public RequestException(Reason reason, Subject subject, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.subject = subject;
    }

    /** A request that is wrong; the message says what to change. */
    public static RequestException invalid(Subject subject, String message) {
        return new RequestException(Reason.INVALID_REQUEST, subject, message);
    }

    public Reason reason() {
        return reason;
    }

    public Subject subject() {
        return subject;
    }

    /** The problem's title: an invalid request says what it was, since that is what the user must change. */
    public String title() {
        return reason == Reason.INVALID_REQUEST ? "Invalid " + subject : reason.title();
    }
}
