package dev.fletcher.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.server.problem.Problem;
import dev.fletcher.server.problem.ProblemAnswers;
import dev.fletcher.server.problem.ProblemMappers;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates every HTTP request before anything else serves it, open paths aside: a request without a valid key
 * gets a 401 problem, a client from elsewhere while the server is in protected mode a 403. The caller is kept on
 * the request for the role check of each endpoint ({@link RoleFilter}) and for the audit.
 */
@ApplicationScoped
public class HttpAccess {
    private static final String CALLER = "fletcher.caller";
    /** Before every route of the application, Quarkus's own and the REST layer's. */
    private static final int ORDER = -10_000;
    /**
     * The console's static files and the chart and graph libraries it loads: public files that hold no data, so
     * a browser can load the page and then log in through the API. Not configurable, so that narrowing
     * {@code fletcher.auth.open-paths} cannot lock the console out.
     */
    static final List<String> CONSOLE_PATHS = List.of("/console", "/_static/echarts", "/webjars/dagre");

    private final Authenticator authenticator;
    private final ObjectMapper json;
    private final List<String> openPaths;

    @Inject
    public HttpAccess(Authenticator authenticator, ObjectMapper json, AuthConfig config) {
        this.authenticator = authenticator;
        this.json = json;
        this.openPaths = config.openPaths().stream().map(HttpAccess::withoutTrailingSlash).toList();
    }

    void install(@Observes Router router) {
        // The root and the bare console path lead to the console's page, which logs in by itself.
        router.route().order(ORDER - 1).handler(context -> {
            String path = context.normalizedPath();
            if (path.equals("/") || path.equals("/console")) {
                context.response().setStatusCode(302).putHeader("Location", "/console/").end();
            } else {
                context.next();
            }
        });
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        String path = context.normalizedPath();
        if (isOpen(path)) {
            context.next();
            return;
        }
        try {
            Caller caller = authenticator.authenticate(Optional.ofNullable(context.request().getHeader("Authorization")),
                    isLoopback(context.request().remoteAddress()));
            context.put(CALLER, caller);
            context.next();
        } catch (RequestException refused) {
            refuse(context, path, refused);
        }
    }

    /** The caller that authentication found for this request. */
    public static Optional<Caller> caller(RoutingContext context) {
        return Optional.ofNullable(context.get(CALLER));
    }

    boolean isOpen(String path) {
        for (String open : CONSOLE_PATHS) {
            if (path.startsWith(open + "/")) {
                return true;
            }
        }
        for (String open : openPaths) {
            if (path.equals(open) || path.startsWith(open + "/") || path.startsWith(open + ".")) {
                return true;
            }
        }
        return false;
    }

    static boolean isLoopback(SocketAddress address) {
        if (address == null || address.hostAddress() == null) {
            return false;
        }
        try {
            // A literal address, so no name is looked up.
            return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void refuse(RoutingContext context, String path, RequestException refused) {
        Reason reason = refused.reason();
        Problem problem = new Problem(reason.type(), reason.title(), reason.status(), refused.getMessage(),
                ProblemAnswers.path(path), null);
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + reason.status() + ",\"title\":\"" + reason.title() + "\"}";
        }
        var response = context.response().setStatusCode(reason.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (reason == Reason.UNAUTHENTICATED) {
            response.putHeader("WWW-Authenticate", ProblemMappers.BEARER_CHALLENGE);
        }
        response.end(body);
    }

    private static String withoutTrailingSlash(String path) {
        String trimmed = path.trim();
        return trimmed.length() > 1 && trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
