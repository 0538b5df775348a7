package dev.fletcher.server.problem;

import dev.fletcher.server.auth.Requires;
import dev.fletcher.server.auth.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A JSON endpoint that exists only in tests, to see how malformed JSON is answered. */
@Path("/api/v1/test-only/echo")
public class JsonEchoResource {
    public record Message(String text, int count) {
    }

    @Requires(Role.READER)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Message echo(Message message) {
        return message;
    }

    @Requires(Role.READER)
    @POST
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("secret internals");
    }
}
