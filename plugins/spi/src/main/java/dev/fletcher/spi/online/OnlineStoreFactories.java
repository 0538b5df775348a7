package dev.fletcher.spi.online;

import dev.fletcher.spi.PluginException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds online store plugins on the class path by the name users configure. */
public final class OnlineStoreFactories {
    private OnlineStoreFactories() {
    }

    public static List<OnlineStoreFactory> available() {
        List<OnlineStoreFactory> factories = new ArrayList<>();
        ServiceLoader.load(OnlineStoreFactory.class, OnlineStoreFactories.class.getClassLoader()).forEach(factories::add);
        return factories;
    }

    /**
     * The plugin called {@code name}, case-insensitively.
     *
     * @throws PluginException naming the plugins that are available when none matches
     */
    public static OnlineStoreFactory find(String name) {
        TreeSet<String> names = new TreeSet<>();
        for (OnlineStoreFactory factory : available()) {
            names.add(factory.name());
            if (factory.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return factory;
            }
        }
        throw new PluginException("no online store plugin named '" + name + "'; available: "
                + (names.isEmpty() ? "none (add an online store plugin to the class path)" : String.join(", ", names)));
    }
}
