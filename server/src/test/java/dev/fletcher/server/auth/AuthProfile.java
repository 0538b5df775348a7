package dev.fletcher.server.auth;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A server without a bootstrap key, on a data directory of its own (the keys its tests create must not reach other
 * tests), listening on every interface so a test can call it from the machine's own non-loopback address.
 */
public class AuthProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fletcher.data-dir", dataDir("auth-data-").toString(), "quarkus.http.host", "0.0.0.0",
                "fletcher.auth.refresh", "200ms");
    }

    static Path dataDir(String prefix) {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            return Files.createTempDirectory(target.toAbsolutePath(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
