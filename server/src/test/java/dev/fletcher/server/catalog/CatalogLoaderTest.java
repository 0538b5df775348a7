package dev.fletcher.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What fletcher.catalog.load does with bad input: the exception that fails the start, naming the problem. */
@QuarkusTest
class CatalogLoaderTest {
    @Inject
    CatalogLoader loader;

    @Inject
    CatalogService catalog;

    @Test
    void aBadBundleFailsWithTheProblemsPlace() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/loader-test"));
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                kind: entity
                name: Not A Name
                keys: [id]
                """);
        long before = catalog.catalogVersion();

        assertThatThrownBy(() -> loader.load(bad))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fletcher.catalog.load")
                .hasMessageContaining("bad.yaml#1");
        assertThat(catalog.catalogVersion()).isEqualTo(before);
    }

    @Test
    void aMissingPathOrAnEmptyFolderFails() throws Exception {
        assertThatThrownBy(() -> loader.load(Path.of("target/no-such-catalog")))
                .hasMessageContaining("neither a file nor a folder");
        Path empty = Files.createDirectories(Path.of("target/loader-test/empty"));
        assertThatThrownBy(() -> loader.load(empty)).hasMessageContaining("no *.yaml or *.yml file");
    }
}
