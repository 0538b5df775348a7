package dev.fletcher.server.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Answers a problem for any path nothing else serves (the REST layer only sees paths under its resources). */
@ApplicationScoped
public class NotFoundRoute {
    private final ObjectMapper json;

    @Inject
    public NotFoundRoute(ObjectMapper json) {
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE).handler(context -> {
            if (context.response().ended() || context.response().headWritten()) {
                return;
            }
            String body;
            try {
                body = json.writeValueAsString(ProblemAnswers.notFound(context.request().path()));
            } catch (JsonProcessingException e) {
                body = "{\"status\":404,\"title\":\"Not Found\"}";
            }
            context.response().setStatusCode(404).putHeader("Content-Type", Problem.MEDIA_TYPE).end(body);
        });
    }
}
