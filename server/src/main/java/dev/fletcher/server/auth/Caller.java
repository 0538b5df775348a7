package dev.fletcher.server.auth;

/**
 * Who makes a request, as authentication found it.
 *
 * @param name the key's name, {@value #LOCAL} for a client on the server's own machine while no key exists, or
 *             {@value #BOOTSTRAP} for the configured bootstrap key; recorded as who made a change
 */
public record Caller(String name, Role role) {
    /** A loopback client of a server in protected mode. */
    public static final String LOCAL = "local";
    /** The key of {@code fletcher.auth.bootstrap-key}. */
    public static final String BOOTSTRAP = "bootstrap";

    /** Whether the caller may do what {@code needed} may. */
    public boolean may(Role needed) {
        return role.covers(needed);
    }
}
