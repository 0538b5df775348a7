package dev.fletcher.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a plugin instance is built from.
 *
 * @param instanceName the configured instance name, e.g. {@code default} for {@code fletcher.warehouses.default.*}
 * @param properties   the instance's properties with the prefix removed, e.g. {@code url}, {@code user}
 * @param dataDir      {@code fletcher.data-dir}, where embedded plugins keep their files
 */
public record PluginConfig(String instanceName, Map<String, String> properties, Path dataDir) {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)?");

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

    /**
     * A duration written as a whole number and a unit: {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}
     * (e.g. {@code 500ms}, {@code 30s}, {@code 5m}); {@code 0} means none.
     */
    public Duration getDuration(String key, Duration defaultValue) {
        return get(key).map(v -> {
            Matcher m = DURATION
                    .matcher(v.trim().toLowerCase(Locale.ROOT));
            if (!m.matches() || (m.group(2) == null && !m.group(1).equals("0"))) {
                throw new PluginException("plugin instance '" + instanceName + "': property '" + key
                        + "' must be a duration such as 500ms, 30s, 5m or 1h, got '" + v + "'");
            }
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }).orElse(defaultValue);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return get(key).map(v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new PluginException("plugin instance '" + instanceName + "': property '" + key
                    + "' must be true or false, got '" + v + "'");
        }).orElse(defaultValue);
    }
}
