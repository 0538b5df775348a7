package dev.fletcher.server.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body larger than {@code quarkus.http.limits.max-body-size} by its Content-Length with a problem, before
 * the HTTP layer's own check (which answers an empty 413) and before any of the body is read. The connection is
 * closed after the answer, since the client may still be sending.
 */
@ApplicationScoped
public class BodyLimitRoute {
    static final String LIMIT_KEY = "quarkus.http.limits.max-body-size";

    private final ObjectMapper json;
    private final Optional<MemorySize> limit;

    @Inject
    public BodyLimitRoute(ObjectMapper json, @ConfigProperty(name = LIMIT_KEY) Optional<MemorySize> limit) {
        this.json = json;
        this.limit = limit;
    }

    void install(@Observes Router router) {
        if (limit.isEmpty()) {
            return;
        }
        long max = limit.get().asLongValue();
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && declared(length) > max) {
                refuse(context, declared(length), max);
            } else {
                context.next();
            }
        });
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void refuse(RoutingContext context, long length, long max) {
        Problem problem = new Problem(Reason.TOO_LARGE.type(), Reason.TOO_LARGE.title(), Reason.TOO_LARGE.status(),
                "the request body is " + length + " bytes; this server takes at most " + max + " bytes in one request ("
                        + LIMIT_KEY + "). Send less in each request, or stream large inputs over Arrow Flight",
                context.request().path(), null);
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":413,\"title\":\"Too large\"}";
        }
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .endHandler(v -> context.request().connection().close())
                .end(body);
    }
}
