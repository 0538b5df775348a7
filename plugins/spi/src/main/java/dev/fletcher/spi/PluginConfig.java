package dev.fletcher.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a plugin instance is built from.
 *
 * @param instanceName the configured instance name, e.g. {@code default} for {@code fletcher.warehouses.default.*}
 * @param properties   the instance's properties with the prefix removed, e.g. {@code url}, {@code user}
 * @param dataDir      {@code fletcher.data-dir}, where embedded plugins keep their files
 */
public record PluginConfig(String instanceName, Map<String, String> properties, Path dataDir) {
    public PluginConfig {
        properties = Map.copyOf(properties);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(properties.get(key)).filter(v -> !v.isBlank());
    }

    public String require(String key) {
        return get(key).orElseThrow(() -> new PluginException(
                "plugin instance '" + instanceName + "' needs the property '" + key + "'"));
    }

    public int getInt(String key, int defaultValue) {
        return get(key).map(v -> {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new PluginException("plugin instance '" + instanceName + "': property '" + key
                        + "' must be an integer, got '" + v + "'");
            }
        }).orElse(defaultValue);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return get(key).map(v -> switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new PluginException("plugin instance '" + instanceName + "': property '" + key
                    + "' must be true or false, got '" + v + "'");
        }).orElse(defaultValue);
    }
}
