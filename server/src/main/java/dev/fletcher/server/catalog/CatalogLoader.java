package dev.fletcher.server.catalog;

import dev.fletcher.catalog.lang.BundleException;
import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedBundle;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.persistence.ApplyResult;
import dev.fletcher.catalog.persistence.PlannedChange;
import dev.fletcher.server.config.FletcherConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Applies {@code fletcher.catalog.load} at start: one file, or every {@code *.yaml}/{@code *.yml} of a folder
 * (sorted by name) as one bundle, so files may refer to each other. A bad bundle stops the start.
 */
@ApplicationScoped
public class CatalogLoader {
    private static final Logger LOG = Logger.getLogger(CatalogLoader.class);

    private final FletcherConfig config;
    private final CatalogService catalog;

    @Inject
    public CatalogLoader(FletcherConfig config, CatalogService catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    void load(@Observes StartupEvent event) {
        config.catalog().load().ifPresent(this::load);
    }

    /** @throws IllegalStateException naming the problem, which fails the start */
    ApplyResult load(Path path) {
        List<Path> files = files(path);
        List<ParsedObject> objects = new ArrayList<>();
        try {
            for (Path file : files) {
                objects.addAll(BundleParser.parse(file.getFileName().toString(), read(file)).objects());
            }
            ApplyResult result = catalog.apply(new ParsedBundle(path.toString(), objects), false, false);
            var counts = result.counts();
            LOG.infof("Applied %s at start: catalog version %d, %d created, %d updated, %d unchanged", path,
                    result.catalogVersion(), counts.get(PlannedChange.Action.CREATED),
                    counts.get(PlannedChange.Action.UPDATED), counts.get(PlannedChange.Action.UNCHANGED));
            return result;
        } catch (BundleException e) {
            throw new IllegalStateException("fletcher.catalog.load: " + path + " was rejected: " + e.getMessage(), e);
        }
    }

    private static List<Path> files(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("fletcher.catalog.load: " + path.toAbsolutePath()
                    + " is neither a file nor a folder");
        }
        try (Stream<Path> entries = Files.list(path)) {
            List<Path> files = entries.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yaml")
                            || p.getFileName().toString().endsWith(".yml"))
                    .sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalStateException("fletcher.catalog.load: the folder " + path.toAbsolutePath()
                        + " holds no *.yaml or *.yml file");
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("fletcher.catalog.load: cannot list " + path + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("fletcher.catalog.load: cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
