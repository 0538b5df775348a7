package dev.fletcher.server.auth;

import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.problem.Subject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds who calls from the {@code Authorization} header and the client's address; the one rule HTTP and Arrow Flight
 * share. Takes {@code Bearer <key>}, or {@code Basic} with the key as password (any user name), as Flight clients
 * send on their handshake.
 */
@ApplicationScoped
public class Authenticator {
    /** How to get a key, for every refusal of protected mode. */
    public static final String HOW_TO_CREATE_A_KEY = "create an API key on the server's machine (curl -X POST"
            + " http://localhost:8080/api/v1/keys -H 'Content-Type: application/json' -d '{\"name\": \"admin\","
            + " \"role\": \"admin\"}') or start the server with FLETCHER_AUTH_BOOTSTRAP_KEY set, then send"
            + " 'Authorization: Bearer <key>'";

    private final ApiKeys keys;

    @Inject
    public Authenticator(ApiKeys keys) {
        this.keys = keys;
    }

    /**
     * The caller of a request.
     *
     * @param authorization the {@code Authorization} header, if sent
     * @param loopback      whether the client connects from the server's own machine
     * @throws RequestException {@link Reason#UNAUTHENTICATED} for a missing or unknown key, {@link Reason#FORBIDDEN}
     *                          for a client from elsewhere while the server is in protected mode
     */
    public Caller authenticate(Optional<String> authorization, boolean loopback) {
        Optional<String> sent = authorization.map(String::trim).filter(a -> !a.isEmpty());
        if (sent.isEmpty()) {
            if (keys.protectedMode()) {
                if (loopback) {
                    return new Caller(Caller.LOCAL, Role.ADMIN);
                }
                throw new RequestException(Reason.FORBIDDEN, Subject.ACCESS, "this server has no API key yet, so it"
                        + " serves only clients on its own machine (protected mode); " + HOW_TO_CREATE_A_KEY);
            }
            throw new RequestException(Reason.UNAUTHENTICATED, Subject.ACCESS, "this server needs an API key: send"
                    + " 'Authorization: Bearer <key>' (an admin creates keys with POST /api/v1/keys)");
        }
        String key = presentedKey(sent.get());
        return keys.verify(key).orElseThrow(() -> new RequestException(Reason.UNAUTHENTICATED, Subject.ACCESS,
                "the API key is not known to this server (revoked, mistyped or never created); send"
                        + " 'Authorization: Bearer <key>' with a live key"));
    }

    /** The key in a Bearer or Basic header; the message never repeats what was sent. */
    public static String presentedKey(String header) {
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String credentials = space < 0 ? "" : header.substring(space + 1).trim();
        switch (scheme.toLowerCase(Locale.ROOT)) {
            case "bearer" -> {
                if (!credentials.isEmpty()) {
                    return credentials;
                }
            }
            case "basic" -> {
                Optional<String> password = basicPassword(credentials);
                if (password.isPresent()) {
                    return password.get();
                }
            }
            default -> {
            }
        }
        throw new RequestException(Reason.UNAUTHENTICATED, Subject.ACCESS, "the Authorization header must read"
                + " 'Bearer <key>' (or Basic with the key as password)");
    }

    private static Optional<String> basicPassword(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 || colon == decoded.length() - 1 ? Optional.empty()
                    : Optional.of(decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
