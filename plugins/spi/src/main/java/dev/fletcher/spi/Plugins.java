package dev.fletcher.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * The plugins of one kind on the class path, looked up by the name users configure.
 *
 * @param <F> the kind's factory interface
 */
public final class Plugins<F extends PluginFactory<?>> {
    private final PluginKind kind;
    private final List<F> factories;

    private Plugins(PluginKind kind, List<F> factories) {
        this.kind = kind;
        this.factories = List.copyOf(factories);
    }

    /** Every plugin of the kind registered under {@code type} with {@link ServiceLoader}. */
    public static <F extends PluginFactory<?>> Plugins<F> load(Class<F> type, PluginKind kind) {
        List<F> found = new ArrayList<>();
        ServiceLoader.load(type, Plugins.class.getClassLoader()).forEach(found::add);
        return new Plugins<>(kind, found);
    }

    /** Exactly these plugins, as a test assembles them. */
    public static <F extends PluginFactory<?>> Plugins<F> of(PluginKind kind, List<F> factories) {
        return new Plugins<>(kind, factories);
    }

    public PluginKind kind() {
        return kind;
    }

    public List<F> all() {
        return factories;
    }

    /** The plugin with this name or alias, ignoring case and surrounding blanks. */
    public Optional<F> lookup(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return factories.stream().filter(f -> f.name().equalsIgnoreCase(wanted)
                || f.aliases().stream().anyMatch(alias -> alias.equalsIgnoreCase(wanted))).findFirst();
    }

    /** @throws PluginException naming the known plugins when none has this name or alias */
    public F find(String name) {
        return lookup(name).orElseThrow(() -> new PluginException("no " + kind + " plugin named '" + name + "'; "
                + known()));
    }

    /** @throws PluginException unless exactly one plugin of the kind declares itself the default */
    public F defaultPlugin() {
        List<F> defaults = factories.stream().filter(PluginFactory::isDefault).toList();
        if (defaults.size() != 1) {
            throw new PluginException((defaults.isEmpty() ? "no " + kind + " plugin is the default"
                    : "several " + kind + " plugins claim to be the default") + "; " + known());
        }
        return defaults.get(0);
    }

    private String known() {
        TreeSet<String> names = new TreeSet<>();
        factories.forEach(f -> names.add(f.name()));
        return names.isEmpty() ? "none is installed: add one to the server's build" : "known: "
                + String.join(", ", names);
    }
}
