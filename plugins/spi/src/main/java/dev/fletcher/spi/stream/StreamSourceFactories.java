package dev.fletcher.spi.stream;

import dev.fletcher.spi.PluginException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds stream plugins on the class path by name. */
public final class StreamSourceFactories {
    private StreamSourceFactories() {
    }

    public static List<StreamSourceFactory> available() {
        List<StreamSourceFactory> factories = new ArrayList<>();
        ServiceLoader.load(StreamSourceFactory.class, StreamSourceFactories.class.getClassLoader())
                .forEach(factories::add);
        return factories;
    }

    public static Optional<StreamSourceFactory> find(String name) {
        return available().stream().filter(f -> f.name().equalsIgnoreCase(name == null ? "" : name.trim()))
                .findFirst();
    }

    /** @throws PluginException naming the plugins available when none matches */
    public static StreamSourceFactory require(String name) {
        return find(name).orElseThrow(() -> new PluginException("no stream plugin named '" + name + "'; available: "
                + available().stream().map(StreamSourceFactory::name).sorted().toList()));
    }
}
