package dev.fletcher.server.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.fletcher.catalog.lang.BundleException;
import dev.fletcher.catalog.persistence.CatalogConflictException;
import dev.fletcher.server.catalog.BundleTooLargeException;
import dev.fletcher.server.catalog.UnknownObjectException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure of a REST call into an {@code application/problem+json} answer without a stack trace. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response bundle(BundleException e, UriInfo uri) {
        String detail = e.errors().size() == 1 ? "the bundle has a problem: " + e.errors().get(0)
                : "the bundle has " + e.errors().size() + " problems; see errors";
        return respond(new Problem(Problem.type("invalid-bundle"), "Invalid bundle", 400, detail, path(uri),
                e.errors()));
    }

    @ServerExceptionMapper
    public Response conflict(CatalogConflictException e, UriInfo uri) {
        return respond(new Problem(Problem.type("catalog-conflict"), "Catalog changed concurrently", 409,
                e.getMessage(), path(uri), null));
    }

    @ServerExceptionMapper
    public Response tooLarge(BundleTooLargeException e, UriInfo uri) {
        return respond(new Problem(Problem.type("bundle-too-large"), "Bundle too large", 413, e.getMessage(),
                path(uri), null));
    }

    @ServerExceptionMapper
    public Response unknownObject(UnknownObjectException e, UriInfo uri) {
        return respond(new Problem(Problem.type("not-found"), "Not found", 404, e.getMessage(), path(uri), null));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            where += " (field '" + fieldPath(mapping) + "')";
        }
        return respond(new Problem(Problem.type("malformed-json"), "Malformed JSON", 400,
                "the request body is not the JSON expected" + where + ": " + e.getOriginalMessage(), path(uri),
                null));
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

    @ServerExceptionMapper
    public Response any(Throwable e, UriInfo uri) {
        return internal(e, uri);
    }

    private Response internal(Throwable e, UriInfo uri) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Request %s failed (reference %s)", path(uri), reference);
        return respond(new Problem(Problem.type("internal"), "Internal Server Error", 500,
                "the server failed on this request (reference " + reference + " in the server log)", path(uri),
                null));
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
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
