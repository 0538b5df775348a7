package dev.fletcher.server.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.Map;

/** Fletcher's configuration read from given properties alone, as a unit test wants it. */
public final class Configs {
    private Configs() {
    }

    public static FletcherConfig fletcher(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(FletcherConfig.class)
                .withConverter(Path.class, 100, new PathConverter())
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                // as application.properties has it: other parts of the server map their own fletcher.* keys
                .withDefaultValue("smallrye.config.mapping.validate-unknown", "false")
                .build()
                .getConfigMapping(FletcherConfig.class);
    }
}
