package dev.fletcher.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.server.cli.CliRun;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fletcher keys create/list/revoke, and the token from flags, the environment and config files. */
@QuarkusTest
@TestProfile(AuthProfile.class)
class CliKeysTest {
    @Inject
    ApiKeys keys;
    @TestHTTPResource("/")
    URL http;
    @TempDir
    Path dir;

    @AfterEach
    void revokeEveryKey() {
        AuthFixture.revokeAll(keys);
    }

    private String url() {
        return "http://127.0.0.1:" + http.getPort();
    }

    @Test
    void createListAndRevokeKeys() throws Exception {
        AuthFixture.revokeAll(keys);
        String name = AuthFixture.name("cli");
        // Protected mode: the first key is created from this machine without one.
        CliRun created = CliRun.of(Map.of("FLETCHER_URL", url()), dir, "keys", "create", name, "--role", "admin");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String key = created.out().lines().filter(l -> l.startsWith("fk_")).findFirst().orElseThrow();
        assertThat(created.err()).contains("shown only this once");

        // From now on every client needs a key: without one, a plain 401.
        CliRun anonymous = CliRun.of(Map.of("FLETCHER_URL", url()), dir, "keys", "list");
        assertThat(anonymous.exitCode()).isEqualTo(1);
        assertThat(anonymous.err()).contains("(401)", "needs an API key").doesNotContain("Exception");

        // The key from the environment...
        CliRun listed = CliRun.of(Map.of("FLETCHER_URL", url(), "FLETCHER_TOKEN", key), dir, "keys", "list");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.out()).contains(name, "admin").doesNotContain(key);

        // ...from the project's fletcher.yaml, and the user's config file; the project's comes first.
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".config/fletcher"));
        Files.writeString(home.resolve(".config/fletcher/config.yaml"), "url: " + url() + "\ntoken: " + key + "\n");
        CliRun fromUserConfig = run(dir.resolve("home"), Map.of(), "keys", "list", "-o", "json");
        assertThat(fromUserConfig.exitCode()).as(fromUserConfig.toString()).isZero();
        assertThat(fromUserConfig.out()).contains("\"name\" : \"" + name + "\"");
        // The project's token, the user's URL.
        Files.writeString(home.resolve("fletcher.yaml"), "token: fk_stale\n");
        assertThat(run(home, Map.of(), "keys", "list").err()).contains("(401)", "not known to this server");
        // ...and the flag before them all.
        assertThat(run(home, Map.of(), "keys", "list", "--token", key).exitCode()).isZero();

        CliRun revoked = CliRun.of(Map.of("FLETCHER_URL", url(), "FLETCHER_TOKEN", key), dir, "keys", "revoke", name);
        assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
        assertThat(revoked.out()).contains("revoked key '" + name + "'");
        CliRun after = CliRun.of(Map.of("FLETCHER_URL", url(), "FLETCHER_TOKEN", key), dir, "keys", "list");
        assertThat(after.exitCode()).isEqualTo(1);
        assertThat(after.err()).contains("(401)");
    }

    /** A run in {@code home} as both the working folder and the home folder. */
    private static CliRun run(Path home, Map<String, String> env, String... args) {
        return CliRun.of(env, home, args);
    }
}
