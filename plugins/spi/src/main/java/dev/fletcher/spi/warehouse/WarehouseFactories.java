package dev.fletcher.spi.warehouse;

import dev.fletcher.spi.PluginException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds warehouse plugins on the class path by the name users configure. */
public final class WarehouseFactories {
    private WarehouseFactories() {}

    /** Every warehouse plugin visible to this class's loader. */
    public static List<WarehouseFactory> available() {
        return available(WarehouseFactories.class.getClassLoader());
    }

    public static List<WarehouseFactory> available(ClassLoader loader) {
        List<WarehouseFactory> factories = new ArrayList<>();
        ServiceLoader.load(WarehouseFactory.class, loader).forEach(factories::add);
        return factories;
    }

    /**
     * The plugin called {@code name} (or having it as an alias), case-insensitively.
     *
     * @throws PluginException naming the plugins that are available when none matches
     */
    public static WarehouseFactory find(String name) {
        return find(name, available());
    }

    public static WarehouseFactory find(String name, List<WarehouseFactory> factories) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        TreeSet<String> names = new TreeSet<>();
        for (WarehouseFactory factory : factories) {
            names.add(factory.name());
            if (factory.name().equalsIgnoreCase(wanted)
                    || factory.aliases().stream().anyMatch(alias -> alias.equalsIgnoreCase(wanted))) {
                return factory;
            }
        }
        throw new PluginException("no warehouse plugin named '" + name + "'; available: "
                + (names.isEmpty() ? "none (add a warehouse plugin to the class path)" : String.join(", ", names)));
    }
}
