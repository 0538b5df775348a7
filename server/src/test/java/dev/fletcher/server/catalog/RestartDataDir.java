package dev.fletcher.server.catalog;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Empties the shared data dir and writes a catalog folder whose entity name is new on every run, so the second
 * start can only find it if the first start stored it.
 */
public class RestartDataDir implements QuarkusTestResourceLifecycleManager {
    static final Path DIR = Path.of("target/restart-test-data");
    static final String ENTITY_PROPERTY = "fletcher.test.restart.entity";

    @Override
    public Map<String, String> start() {
        String entity = "restart_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        System.setProperty(ENTITY_PROPERTY, entity);
        try {
            delete(DIR);
            Path bundles = Files.createDirectories(DIR.resolve("bundles"));
            // The source (a.yaml) refers to the entity of b.yaml: the folder is applied as one bundle.
            Files.writeString(bundles.resolve("a.yaml"), """
                    kind: source
                    name: restart_events
                    warehouse: default
                    table: events
                    timestamp: event_at
                    entity_columns: {%s: id}
                    """.formatted(entity));
            Files.writeString(bundles.resolve("b.yml"), Bundles.entity(entity));
            Files.writeString(bundles.resolve("ignored.txt"), "not a bundle");
            return Map.of("fletcher.data-dir", DIR.toString(), "fletcher.catalog.load", bundles.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    @Override
    public void stop() {
    }
}
