package dev.fletcher.server.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Authentication, {@code fletcher.auth.*}. */
@ConfigMapping(prefix = "fletcher.auth")
public interface AuthConfig {
    /**
     * An admin key that works whether or not keys are stored, e.g. from {@code FLETCHER_AUTH_BOOTSTRAP_KEY}; at least
     * 16 characters. Setting it also ends protected mode.
     */
    Optional<String> bootstrapKey();

    /** A file whose content (trimmed) is the bootstrap key, for secrets mounted as files. */
    Optional<Path> bootstrapKeyFile();

    /**
     * HTTP paths served to anyone, without a key and from any address: each path and everything under it. Health,
     * Prometheus metrics and the API description by default.
     */
    @WithDefault("/q/health,/q/metrics,/q/openapi,/q/swagger-ui")
    List<String> openPaths();

    /** How often keys created or revoked through another server (sharing the catalog database) are picked up. */
    @WithDefault("2s")
    Duration refresh();
}
