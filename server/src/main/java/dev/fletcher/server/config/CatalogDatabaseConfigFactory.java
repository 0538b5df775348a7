package dev.fletcher.server.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives the catalog datasource settings from {@code fletcher.catalog.*} at start, so users set one URL and
 * never the per-kind Quarkus properties. Anything set explicitly (application.properties, -D, environment) wins.
 */
public class CatalogDatabaseConfigFactory implements ConfigSourceFactory {
    /** Below application.properties (250): explicit Quarkus settings override the derived ones. */
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Path dataDir = Path.of(value(context, "fletcher.data-dir").orElse("./fletcher-data"));
        return List.of(new MapBackedConfigSource("fletcher catalog database", CatalogDatabase.quarkusProperties(
                value(context, "fletcher.catalog.db"),
                value(context, "fletcher.catalog.user"),
                value(context, "fletcher.catalog.password"),
                dataDir), ORDINAL) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return Optional.ofNullable(value == null ? null : value.getValue()).filter(v -> !v.isBlank());
    }
}
