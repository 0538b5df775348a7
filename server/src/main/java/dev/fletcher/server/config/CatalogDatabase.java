package dev.fletcher.server.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which database holds the catalog. Quarkus fixes a datasource's kind at build time, so the build carries one
 * datasource (and persistence unit) per supported kind, and configuration activates exactly one of them.
 */
public enum CatalogDatabase {
    H2("h2"),
    POSTGRESQL("postgresql");

    private final String unitName;

    CatalogDatabase(String unitName) {
        this.unitName = unitName;
    }

    /** The name of this kind's datasource, Flyway and persistence unit configuration. */
    public String unitName() {
        return unitName;
    }

    /**
     * The kind a {@code fletcher.catalog.db} URL selects; no URL means the embedded H2 file.
     *
     * @throws IllegalArgumentException for a URL of any other database
     */
    public static CatalogDatabase of(Optional<String> url) {
        if (url.isEmpty() || url.get().isBlank()) {
            return H2;
        }
        String value = url.get().trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (value.startsWith("jdbc:h2:")) {
            return H2;
        }
        throw new IllegalArgumentException("fletcher.catalog.db must be a PostgreSQL (jdbc:postgresql://host:port/db)"
                + " or H2 (jdbc:h2:...) JDBC URL, got '" + url.get() + "'");
    }

    /** The embedded default: an H2 file under the data dir. */
    public static String defaultH2Url(Path dataDir) {
        Path file = dataDir.resolve("catalog").resolve("catalog").toAbsolutePath().normalize();
        return "jdbc:h2:file:" + file;
    }

    /**
     * The Quarkus properties that activate this kind's datasource, Flyway and persistence unit and deactivate
     * the others.
     */
    public static Map<String, String> quarkusProperties(Optional<String> url, Optional<String> user,
                                                         Optional<String> password, Path dataDir) {
        CatalogDatabase active = of(url);
        Map<String, String> properties = new LinkedHashMap<>();
        for (CatalogDatabase kind : values()) {
            String on = Boolean.toString(kind == active);
            properties.put("quarkus.datasource." + kind.unitName + ".active", on);
            properties.put("quarkus.hibernate-orm." + kind.unitName + ".active", on);
            properties.put("quarkus.flyway." + kind.unitName + ".active", on);
        }
        String prefix = "quarkus.datasource." + active.unitName;
        properties.put(prefix + ".jdbc.url", url.filter(u -> !u.isBlank()).map(String::trim)
                .orElseGet(() -> defaultH2Url(dataDir)));
        user.ifPresent(u -> properties.put(prefix + ".username", u));
        password.ifPresent(p -> properties.put(prefix + ".password", p));
        return properties;
    }
}
