package dev.fletcher.spi;

/** The one error an optional capability throws when a plugin does not have it. */
public class NotSupportedException extends PluginException {
    private final String plugin;
    private final String capability;

    public NotSupportedException(String plugin, String capability) {
        super(capability + " is not supported by this warehouse (" + plugin + ")");
        this.plugin = plugin;
        this.capability = capability;
    }

    /** The plugin that lacks the capability, e.g. {@code postgres}. */
    public String plugin() {
        return plugin;
    }

    /** The capability in words, e.g. {@code approximate percentile}. */
    public String capability() {
        return capability;
    }
}
