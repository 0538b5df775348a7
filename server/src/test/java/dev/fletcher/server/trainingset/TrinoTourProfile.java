package dev.fletcher.server.trainingset;

import dev.fletcher.warehouse.trino.TrinoTestServer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The server with the example enabled and its default warehouse on the shared Trino test server (the
 * warehouse-trino module's fixture), so the example loader writes the example's tables into Trino.
 */
public class TrinoTourProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            Path dataDir = Files.createTempDirectory(target.toAbsolutePath(), "trino-tour-data-");
            Map<String, String> overrides = new HashMap<>();
            overrides.put("fletcher.example.enabled", "true");
            overrides.put("fletcher.data-dir", dataDir.toString());
            overrides.put("fletcher.warehouses.default.plugin", "trino");
            TrinoTestServer.shared().properties()
                    .forEach((key, value) -> overrides.put("fletcher.warehouses.default." + key, value));
            return overrides;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
