package dev.fletcher.server.auth;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A server whose bootstrap admin key is read from a file, as a mounted secret would be. */
public class BootstrapKeyProfile implements QuarkusTestProfile {
    /** The bootstrap key; the file holds it with a trailing newline, as editors write it. */
    static final String KEY = "bootstrap-test-key-0123456789abcdef";

    @Override
    public Map<String, String> getConfigOverrides() {
        Path dataDir = AuthProfile.dataDir("bootstrap-data-");
        try {
            Path file = Files.writeString(dataDir.resolve("bootstrap.key"), KEY + "\n");
            return Map.of("fletcher.data-dir", dataDir.toString(), "fletcher.auth.bootstrap-key-file",
                    file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
