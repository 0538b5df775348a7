package dev.fletcher.spi.analysis;

import dev.fletcher.spi.PluginException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds analysis plugins on the class path by the name users configure. */
public final class AnalysisFactories {
    private AnalysisFactories() {}

    public static List<AnalysisFactory> available() {
        List<AnalysisFactory> factories = new ArrayList<>();
        ServiceLoader.load(AnalysisFactory.class, AnalysisFactories.class.getClassLoader()).forEach(factories::add);
        return factories;
    }

    /**
     * The plugin called {@code name}, case-insensitively.
     *
     * @throws PluginException naming the plugins that are available when none matches
     */
    public static AnalysisFactory find(String name) {
        TreeSet<String> names = new TreeSet<>();
        for (AnalysisFactory factory : available()) {
            names.add(factory.name());
            if (factory.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return factory;
            }
        }
        throw new PluginException("no analysis plugin named '" + name + "'; available: "
                + (names.isEmpty() ? "none (add an analysis plugin to the class path)" : String.join(", ", names)));
    }
}
