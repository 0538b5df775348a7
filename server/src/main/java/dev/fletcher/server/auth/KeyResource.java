package dev.fletcher.server.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.fletcher.catalog.persistence.ApiKeyEvent;
import dev.fletcher.catalog.persistence.StoredApiKey;
import dev.fletcher.server.http.Page;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.problem.Subject;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** API keys over HTTP: create (the key is answered once), list (never the keys), revoke; admins only. */
@Path("/api/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeyResource {
    private final ApiKeys keys;
    private final RoutingContext request;

    @Inject
    public KeyResource(ApiKeys keys, RoutingContext request) {
        this.keys = keys;
        this.request = request;
    }

    public record KeyRequest(String name, String role) {
    }

    /** A key as listed; {@code key} only in the answer that creates it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyBody(String id, String name, String role,
                          @JsonProperty("created_at") Instant createdAt,
                          @JsonProperty("created_by") String createdBy,
                          String key) {
        static KeyBody of(StoredApiKey stored, String key) {
            return new KeyBody(stored.keyId(), stored.name(), stored.role(), stored.createdAt(), stored.createdBy(),
                    key);
        }
    }

    public record KeyList(List<KeyBody> keys) {
    }

    /**
     * Who the caller is: the console asks this to show only what the role allows.
     *
     * @param protectedMode whether the server has no key yet and serves its own machine without one
     */
    public record Me(String name, String role, @JsonProperty("protected_mode") boolean protectedMode) {
    }

    public record Event(String id, String name, String role, String action, Instant at, String by) {
        static Event of(ApiKeyEvent e) {
            return new Event(e.keyId(), e.name(), e.role(), e.action(), e.at(), e.by());
        }
    }

    public record History(List<Event> events, int limit, int offset, @JsonProperty("next_offset") Integer nextOffset) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Role.ADMIN)
    @Operation(summary = "Create an API key", description = "Answers the key once, as 'key'; only its hash is stored."
            + " Roles: reader, analyst, admin.")
    public Response create(KeyRequest body) {
        if (body == null) {
            throw RequestException.invalid(Subject.KEYS, "send a JSON body {\"name\": ..., \"role\": ...}; roles: "
                    + Role.ids());
        }
        ApiKeys.Created created = keys.create(body.name(), body.role(), callerName());
        return Response.status(Response.Status.CREATED).entity(KeyBody.of(created.stored(), created.key())).build();
    }

    @GET
    @Requires(Role.ADMIN)
    @Operation(summary = "Every live API key, without the keys themselves")
    public KeyList list() {
        return new KeyList(keys.list().stream().map(k -> KeyBody.of(k, null)).toList());
    }

    @GET
    @Path("/me")
    @Requires(Role.READER)
    @Operation(summary = "The caller's own key name and role", description = "Any key may ask; 'local' is a client"
            + " on the server's own machine while the server has no key (protected mode).")
    public Me me() {
        Caller caller = HttpAccess.caller(request).orElseThrow();
        return new Me(caller.name(), caller.role().id(), keys.protectedMode());
    }

    @GET
    @Path("/history")
    @Requires(Role.ADMIN)
    @Operation(summary = "Creations and revocations of keys, newest first, with who made each")
    public History history(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        Page page = Page.of(limit, offset, 100, Subject.KEYS);
        List<Event> events = keys.events(page.limit(), page.offset()).stream().map(Event::of).toList();
        return new History(events, page.limit(), page.offset(), events.size() < page.limit() ? null : page.next());
    }

    @DELETE
    @Path("/{key}")
    @Requires(Role.ADMIN)
    @Operation(summary = "Revoke an API key, by its name or id; it stops working at once on this server")
    public KeyBody revoke(@PathParam("key") String nameOrId) {
        return KeyBody.of(keys.revoke(nameOrId, callerName()), null);
    }

    private String callerName() {
        return HttpAccess.caller(request).map(Caller::name).orElseThrow();
    }
}
