package dev.fletcher.spi;

import java.util.Set;

/**
 * What every plugin is to the server: a name users configure and a way to build an instance from its configuration.
 * Each kind has its own factory interface (a warehouse's, an online store's, ...), found with
 * {@link java.util.ServiceLoader} under that interface's name; {@link Plugins} does the lookup.
 *
 * @param <P> what the plugin builds
 */
public interface PluginFactory<P extends AutoCloseable> {
    /** The plugin name users configure, e.g. {@code duckdb}. */
    String name();

    /** Other names users may configure for the same plugin, e.g. {@code postgresql}. */
    default Set<String> aliases() {
        return Set.of();
    }

    /**
     * Whether this plugin serves when the configuration names none of its kind. One plugin of a kind says so: the one
     * that needs nothing outside the process.
     */
    default boolean isDefault() {
        return false;
    }

    /**
     * Builds an instance.
     *
     * @throws PluginException with an actionable message when the configuration is wrong
     */
    P create(PluginConfig config);
}
