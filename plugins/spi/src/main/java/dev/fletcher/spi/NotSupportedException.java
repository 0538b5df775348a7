package dev.fletcher.spi;

/** The one error an optional capability throws when a plugin does not have it. */
public class NotSupportedException extends PluginException {
    private final PluginKind kind;
    private final String plugin;
    private final String instance;
    private final String capability;

    /**
     * @param plugin   the plugin that lacks the capability, e.g. {@code postgres}
     * @param instance the configured instance, or null where the code serves every instance alike (a dialect); then
     *                 whoever knows the instance names it with {@link #in}
     */
    public NotSupportedException(PluginKind kind, String plugin, String instance, String capability) {
        super(capability + " is not supported by " + (instance == null ? "this " + kind + " (" + plugin + ")"
                : kind + " '" + instance + "' (" + plugin + ")"));
        this.kind = kind;
        this.plugin = plugin;
        this.instance = instance;
        this.capability = capability;
    }

    public NotSupportedException(PluginKind kind, String plugin, String capability) {
        this(kind, plugin, null, capability);
    }

    /** The same refusal, naming the instance that gave it. */
    public NotSupportedException in(String instanceName) {
        NotSupportedException named = new NotSupportedException(kind, plugin, instanceName, capability);
        named.initCause(this);
        return named;
    }

    public PluginKind kind() {
        return kind;
    }

    public String plugin() {
        return plugin;
    }

    /** The configured instance, or null when the thrower serves every instance alike. */
    public String instance() {
        return instance;
    }

    /** The capability in words, e.g. {@code approximate percentile}. */
    public String capability() {
        return capability;
    }
}
