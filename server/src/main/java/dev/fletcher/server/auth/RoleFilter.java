package dev.fletcher.server.auth;

import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.problem.Subject;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Refuses a REST call whose endpoint needs more than the caller's role ({@link Requires}); 403 as a problem. */
public class RoleFilter {
    private final RoutingContext context;

    @Inject
    public RoleFilter(RoutingContext context) {
        this.context = context;
    }

    @ServerRequestFilter
    public void check(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        Requires requires = method.getAnnotation(Requires.class);
        Caller caller = HttpAccess.caller(context).orElseThrow(() -> new RequestException(Reason.UNAUTHENTICATED,
                Subject.ACCESS, "this server needs an API key: send 'Authorization: Bearer <key>'"));
        if (requires == null) {
            // Fail closed: an endpoint nobody gave a role is nobody's.
            throw new RequestException(Reason.FORBIDDEN, Subject.ACCESS, "this endpoint declares no role, so it"
                    + " serves no one");
        }
        if (!caller.may(requires.value())) {
            throw new RequestException(Reason.FORBIDDEN, Subject.ACCESS, "this call needs the "
                    + requires.value().id() + " role; the key '" + caller.name() + "' has the " + caller.role().id()
                    + " role");
        }
    }
}
