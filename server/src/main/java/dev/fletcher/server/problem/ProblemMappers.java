package dev.fletcher.server.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.fletcher.catalog.lang.BundleError;
import dev.fletcher.catalog.lang.BundleException;
import dev.fletcher.catalog.persistence.CatalogConflictException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of a REST call into an {@code application/problem+json} answer without a stack trace: a
 * Fletcher failure by its {@link Reason}, an HTTP-level refusal by its own status.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** The challenge of every 401: the API takes API keys as bearer tokens. */
    public static final String BEARER_CHALLENGE = "Bearer realm=\"fletcher\"";

    @ServerExceptionMapper
    public Response refused(RequestException e, UriInfo uri) {
        return problem(e.reason(), e.title(), e.getMessage(), uri, null, e);
    }

    @ServerExceptionMapper
    public Response bundle(BundleException e, UriInfo uri) {
        String detail = e.errors().size() == 1 ? "the bundle has a problem: " + e.errors().get(0)
                : "the bundle has " + e.errors().size() + " problems; see errors";
        return problem(Reason.INVALID_BUNDLE, Reason.INVALID_BUNDLE.title(), detail, uri, e.errors(), e);
    }

    @ServerExceptionMapper
    public Response conflict(CatalogConflictException e, UriInfo uri) {
        return problem(Reason.CONFLICT, Reason.CONFLICT.title(), e.getMessage(), uri, null, e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            where += " (field '" + fieldPath(mapping) + "')";
        }
        return problem(Reason.MALFORMED_JSON, Reason.MALFORMED_JSON.title(), "the request body is not the JSON expected"
                + where + ": " + e.getOriginalMessage(), uri, null, e);
    }

    /** Takes the place of the JSON extension's own mapper, which answers plain JSON. */
    @ServerExceptionMapper
    public Response jsonMismatch(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return respond(ProblemAnswers.notFound(path(uri)));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri, ContainerRequestContext request) {
        String allowed = String.join(", ", e.getResponse().getAllowedMethods());
        Response.ResponseBuilder answer = Response.status(405).type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", "Method Not Allowed", 405, "this path does not take "
                        + request.getMethod() + (allowed.isEmpty() ? "" : "; allowed: " + allowed) + " (see /q/openapi)",
                        path(uri), null));
        e.getResponse().getAllowedMethods().forEach(m -> answer.header("Allow", m));
        return answer.build();
    }

    /** Other HTTP-level refusals (415, 406, 400 ...) keep their status. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        // The JSON reader reports a body it cannot parse as a bare 400 around the parser's exception.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return json(json, uri);
            }
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e, uri);
        }
        return respond(new Problem("about:blank", reason(status), status, detail(status, e), path(uri), null));
    }

    /** What the mappers above do not name: by the reason its kind stands for, a server fault if none. */
    @ServerExceptionMapper
    public Response any(Throwable e, UriInfo uri) {
        Reason reason = Reason.of(e);
        String detail = Reason.catalogDatabaseDown(e).map(message -> "the catalog database cannot be reached ("
                + message + "); nothing was changed, try again once it is back").orElse(e.getMessage());
        return reason == Reason.INTERNAL ? internal(e, uri) : problem(reason, reason.title(), detail, uri, null, e);
    }

    private static Response internal(Throwable e, UriInfo uri) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Request %s failed (reference %s)", path(uri), reference);
        return respond(new Problem(Reason.INTERNAL.type(), Reason.INTERNAL.title(), Reason.INTERNAL.status(),
                "the server failed on this request (reference " + reference + " in the server log)", path(uri),
                null));
    }

    private static Response problem(Reason reason, String title, String detail, UriInfo uri,
            List<BundleError> errors, Throwable e) {
        if (reason == Reason.INTERNAL) {
            return internal(e, uri);
        }
        reason.log(e);
        Response.ResponseBuilder answer = Response.status(reason.status()).type(Problem.MEDIA_TYPE)
                .entity(new Problem(reason.type(), title, reason.status(), detail, path(uri), errors));
        if (reason == Reason.UNAVAILABLE) {
            // the backend recovers by itself; a client may ask again at once
            answer.header("Retry-After", "1");
        }
        if (reason == Reason.UNAUTHENTICATED) {
            answer.header("WWW-Authenticate", BEARER_CHALLENGE);
        }
        return answer.build();
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : e.getPath()) {
            if (step.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String detail(int status, WebApplicationException e) {
        return switch (status) {
            case 415 -> "the request body's Content-Type is not accepted here; send YAML as application/yaml"
                    + " (catalog bundles) or JSON as application/json";
            case 406 -> "no answer in the media types the Accept header allows; accept application/json";
            default -> e.getMessage();
        };
    }

    private static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "HTTP " + status : known.getReasonPhrase();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : ProblemAnswers.path(uri.getRequestUri().getRawPath());
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
