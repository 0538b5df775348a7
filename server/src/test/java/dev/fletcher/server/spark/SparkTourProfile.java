package dev.fletcher.server.spark;

import dev.fletcher.warehouse.spark.SparkConnectFixture;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The server with the example loaded into a Spark default warehouse: the shared Spark Connect test server. */
public class SparkTourProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            Path dataDir = Files.createTempDirectory(target.toAbsolutePath(), "spark-tour-");
            return Map.of("fletcher.example.enabled", "true", "fletcher.data-dir", dataDir.toString(),
                    "fletcher.warehouses.default.plugin", "spark",
                    "fletcher.warehouses.default.url", SparkConnectFixture.url());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
