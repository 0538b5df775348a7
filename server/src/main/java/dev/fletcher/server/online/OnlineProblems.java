package dev.fletcher.server.online;

import dev.fletcher.server.problem.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers a refused online request with {@code application/problem+json}. */
public class OnlineProblems {
    private static final Logger LOG = Logger.getLogger(OnlineProblems.class);

    @ServerExceptionMapper
    public Response refused(OnlineException e, UriInfo uri) {
        int status = e.reason().status;
        if (status == 502) {
            LOG.errorf(e, "Online request failed in the warehouse");
        } else if (status == 503) {
            LOG.warnf("Online store unavailable: %s", e.getMessage());
        }
        Problem problem = new Problem(Problem.type("online"), e.reason().title, status, e.getMessage(),
                uri == null ? null : uri.getRequestUri().getRawPath(), null);
        Response.ResponseBuilder answer = Response.status(status).type(Problem.MEDIA_TYPE).entity(problem);
        if (status == 503) {
            answer.header("Retry-After", "1");
        }
        return answer.build();
    }
}
