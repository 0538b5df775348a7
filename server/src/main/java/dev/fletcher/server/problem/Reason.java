package dev.fletcher.server.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fletcher.catalog.lang.BundleException;
import dev.fletcher.catalog.persistence.CatalogConflictException;
import dev.fletcher.catalog.persistence.CatalogDatabaseFailure;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.analysis.AnalysisException;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.online.OnlineStoreUnavailableException;
import dev.fletcher.spi.warehouse.StatementTimeoutException;
import java.util.Optional;
import org.apache.arrow.flight.CallStatus;
import org.jboss.logging.Logger;

/**
 * Why the server refuses a request or fails on it, with how each protocol says so: an HTTP problem (status, type,
 * title) and a Flight status. Flight has no "failed precondition", so a request that clashes with the server's state
 * is an invalid argument there, as Flight itself maps gRPC's.
 */
public enum Reason {
    /** The request is wrong; the message says what to change. */
    INVALID_REQUEST(400, "invalid-request", "Invalid request", CallStatus.INVALID_ARGUMENT),
    /** The body is not the JSON expected. */
    MALFORMED_JSON(400, "malformed-json", "Malformed JSON", CallStatus.INVALID_ARGUMENT),
    /** A catalog bundle has problems, each naming document, line and field. */
    INVALID_BUNDLE(400, "invalid-bundle", "Invalid bundle", CallStatus.INVALID_ARGUMENT),
    /** The request needs a capability the plugin serving it lacks. */
    NOT_SUPPORTED(400, "not-supported", "Not supported", CallStatus.INVALID_ARGUMENT),
    /** No credential, or one the server does not know: send {@code Authorization: Bearer <key>}. */
    UNAUTHENTICATED(401, "unauthenticated", "Unauthorized", CallStatus.UNAUTHENTICATED),
    /** The caller's role does not reach the call, or protected mode serves only clients on the server's machine. */
    FORBIDDEN(403, "forbidden", "Forbidden", CallStatus.UNAUTHORIZED),
    /** What the request names does not exist (or no longer does). */
    NOT_FOUND(404, "not-found", "Not found", CallStatus.NOT_FOUND),
    /** The client accepts none of the answer's formats. */
    NOT_ACCEPTABLE(406, "not-acceptable", "Not Acceptable", CallStatus.INVALID_ARGUMENT),
    /** The request clashes with the server's state: another apply won, or a view is kept another way. */
    CONFLICT(409, "conflict", "Conflict", CallStatus.INVALID_ARGUMENT),
    /** A view has no online values for the request yet: materialize it. */
    NOT_MATERIALIZED(409, "not-materialized", "Not materialized", CallStatus.INVALID_ARGUMENT),
    /** More than a configured limit allows in one request. */
    TOO_LARGE(413, "too-large", "Too large", CallStatus.RESOURCE_EXHAUSTED),
    /** The query ran past its warehouse's statement timeout and was cancelled there: narrow it or raise the timeout. */
    STATEMENT_TIMEOUT(422, "statement-timeout", "Statement timeout", CallStatus.TIMED_OUT),
    /** The answer would hold more rows than a REST answer may ({@code fletcher.rest.max-rows}). */
    TOO_MANY_ROWS(422, "too-many-rows", "Too many rows", CallStatus.RESOURCE_EXHAUSTED),
    /** Too much waits already; the same request may succeed later. */
    BUSY(429, "busy", "Too many requests", CallStatus.RESOURCE_EXHAUSTED),
    /** The server failed; the answer carries a reference to its log, never its internals. */
    INTERNAL(500, "internal", "Internal Server Error", CallStatus.INTERNAL),
    /** The warehouse failed on a query the catalog defines. */
    WAREHOUSE_FAILED(502, "warehouse-failed", "Warehouse failed", CallStatus.INTERNAL),
    /** A backend cannot be reached; the same request may succeed later. */
    UNAVAILABLE(503, "unavailable", "Unavailable", CallStatus.UNAVAILABLE);

    private static final Logger LOG = Logger.getLogger(Reason.class);

    private final int status;
    private final String slug;
    private final String title;
    private final CallStatus flight;

    Reason(int status, String slug, String title, CallStatus flight) {
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.flight = flight;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The problem type, a URN of Fletcher's. */
    public String type() {
        return Problem.type(slug);
    }

    public String title() {
        return title;
    }

    /** The Flight status, without a description. */
    public CallStatus flight() {
        return flight;
    }

    /** Whether the fault is the server's (or a backend's) rather than the request's. */
    public boolean serverSide() {
        return status >= 500;
    }

    /** Logs a failure the server or a backend is to blame for; a user's own mistake is only answered. */
    void log(Throwable e) {
        if (this == UNAVAILABLE) {
            LOG.warnf("Unavailable: %s", e.getMessage());
        } else if (serverSide()) {
            Subject subject = e instanceof RequestException refused ? refused.subject() : null;
            LOG.errorf(e, "%s failed (%s)", subject == null ? "A call" : "A " + subject, this);
        }
    }

    /**
     * The reason a failure stands for: a refusal's own, the one its kind of exception means to every caller, or
     * {@link #INTERNAL} for anything else.
     */
    public static Reason of(Throwable e) {
        if (e instanceof RequestException refused) {
            return refused.reason();
        }
        if (e instanceof BundleException) {
            return INVALID_BUNDLE;
        }
        if (e instanceof CatalogConflictException) {
            return CONFLICT;
        }
        if (e instanceof JsonProcessingException) {
            return MALFORMED_JSON;
        }
        if (e instanceof NotSupportedException) {
            return NOT_SUPPORTED;
        }
        if (e instanceof OnlineStoreUnavailableException) {
            return UNAVAILABLE;
        }
        if (e instanceof StatementTimeoutException) {
            return STATEMENT_TIMEOUT;
        }
        if (e instanceof PlanException || e instanceof AnalysisException || e instanceof IllegalArgumentException) {
            return INVALID_REQUEST;
        }
        if (catalogDatabaseDown(e).isPresent()) {
            return UNAVAILABLE;
        }
        return INTERNAL;
    }

    /**
     * The catalog database's message when {@code e} comes from failing to reach it. Warehouse failures do not count:
     * plugins report theirs as {@link PluginException}.
     */
    public static Optional<String> catalogDatabaseDown(Throwable e) {
        return CatalogDatabaseFailure.unreachable(e, cause -> cause instanceof PluginException);
    }
}
