package dev.fletcher.server.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a key may do; each role may do everything the ones before it may. */
public enum Role {
    /** Online features, training sets, metric queries, reading the catalog and results. */
    READER,
    /** A reader that also runs analyses and monitors and starts materialization. */
    ANALYST,
    /** An analyst that also applies and prunes the catalog and manages keys. */
    ADMIN;

    /** The lower-case word used in JSON and configuration. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role may do what {@code needed} may. */
    public boolean covers(Role needed) {
        return compareTo(needed) >= 0;
    }

    public static Optional<Role> fromId(String id) {
        return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst();
    }

    /** The roles as a user writes them, for messages. */
    public static String ids() {
        return Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "));
    }
}
