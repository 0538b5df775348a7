package dev.fletcher.server.trainingset;

import dev.fletcher.server.problem.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers a refused training-set request with {@code application/problem+json}. */
public class TrainingSetProblems {
    private static final Logger LOG = Logger.getLogger(TrainingSetProblems.class);

    @ServerExceptionMapper
    public Response refused(TrainingSetException e, UriInfo uri) {
        int status = switch (e.reason()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case NOT_ACCEPTABLE -> 406;
            case TOO_LARGE -> 413;
            case BUSY -> 429;
            case WAREHOUSE -> 502;
        };
        if (status >= 500) {
            LOG.errorf(e, "Training set failed in the warehouse");
        }
        String title = switch (e.reason()) {
            case NOT_ACCEPTABLE -> "Not Acceptable";
            case TOO_LARGE -> "Too many entity rows";
            case WAREHOUSE -> "Warehouse failed";
            default -> "Invalid training-set request";
        };
        Problem problem = new Problem(Problem.type("training-set"), title, status, e.getMessage(),
                uri == null ? null : uri.getRequestUri().getRawPath(), null);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
