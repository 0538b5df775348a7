package dev.fletcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line does with no server: init, validate, settings, usage errors. */
class OfflineTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private Run fletcher(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Fletcher.run(args, env, dir, dir, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Run fletcher(String... args) {
        return fletcher(Map.of(), args);
    }

    @Test
    void theExampleCatalogIsValid() {
        Run run = fletcher("validate", Path.of("..", "examples").toAbsolutePath().toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("is valid: 32 definitions in catalog.yaml");
    }

    @Test
    void aBadFileNamesItsLineAndFieldAndExitsWithOne() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "kind: feature_view\nname: user_clicks\nentity: user\n"
                + "source: clicks\nfeatures:\n  - {name: clicks_1h, aggregation: count, window: 1hour}\n");
        Run run = fletcher("validate", "bad.yaml");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("bad.yaml#1 line 6 field 'features[0].window': '1hour' is not a duration")
                .doesNotContain("Exception");
        assertThat(run.out()).isEmpty();

        Run json = fletcher("validate", "bad.yaml", "--output", "json");
        assertThat(json.code()).isEqualTo(1);
        JsonNode answer = Output.JSON.readTree(json.out());
        assertThat(answer.path("valid").asBoolean()).isFalse();
        assertThat(answer.path("errors").get(0).path("line").asInt()).isEqualTo(6);
    }

    @Test
    void aFolderIsOneBundleAndReferencesAreChecked() throws Exception {
        Path catalog = Files.createDirectories(dir.resolve("catalog"));
        Files.writeString(catalog.resolve("a.yaml"), "kind: entity\nname: user\nkeys: [user_id]\n");
        Files.writeString(catalog.resolve("b.yaml"), """
                kind: source
                name: clicks
                table: clicks
                timestamp: clicked_at
                entity_columns: {user: user_id}
                ---
                kind: feature_view
                name: user_clicks
                entity: usr
                source: clicks
                features:
                  - {name: clicks_1h, aggregation: count, window: 1h}
                """);
        Files.writeString(catalog.resolve("fletcher.yaml"), "url: http://localhost:8080\n");
        Run run = fletcher("validate", "catalog");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("b.yaml#2 line 9 field 'entity'", "did you mean 'user'?");

        Files.writeString(catalog.resolve("b.yaml"), Files.readString(catalog.resolve("b.yaml"))
                .replace("entity: usr", "entity: user"));
        Run fixed = fletcher("validate", "catalog");
        assertThat(fixed.code()).as(fixed.err()).isZero();
        assertThat(fixed.out()).contains("3 definitions in a.yaml, b.yaml");

        Files.writeString(catalog.resolve("c.yaml"), "kind: entity\nname: user\nkeys: [id]\n");
        Run twice = fletcher("validate", "catalog");
        assertThat(twice.code()).isEqualTo(1);
        assertThat(twice.err()).contains("c.yaml#1 line 1", "defined twice");
    }

    @Test
    void initWritesAProjectThatValidates() {
        Run init = fletcher("init", "project");
        assertThat(init.code()).as(init.err()).isZero();
        assertThat(dir.resolve("project/fletcher.yaml")).exists();
        Run valid = fletcher("validate", "project/catalog");
        assertThat(valid.code()).as(valid.err()).isZero();
        assertThat(valid.out()).contains("4 definitions");

        Run again = fletcher("init", "project");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");
    }

    @Test
    void settingsComeFromFlagsThenTheEnvironmentThenTheProjectThenTheUser() throws Exception {
        Path user = Files.createDirectories(dir.resolve(".config/fletcher")).resolve("config.yaml");
        Fletcher root = new Fletcher(Map.of(), dir, dir);
        Remote remote = new Remote();
        assertThat(remote.settings(root)).isEqualTo(new Remote.Settings(Remote.DEFAULT_URL, null, null));

        Files.writeString(user, "url: http://user:1\ntoken: user-token\nflight: grpc+tcp://user:2\n");
        assertThat(remote.settings(root)).isEqualTo(new Remote.Settings("http://user:1", "user-token",
                "grpc+tcp://user:2"));

        Files.writeString(dir.resolve("fletcher.yaml"), "url: http://project:1\n");
        assertThat(remote.settings(root)).isEqualTo(new Remote.Settings("http://project:1", "user-token",
                "grpc+tcp://user:2"));

        root = new Fletcher(Map.of("FLETCHER_URL", "http://env:1", "FLETCHER_TOKEN", "env-token"), dir, dir);
        assertThat(remote.settings(root)).isEqualTo(new Remote.Settings("http://env:1", "env-token",
                "grpc+tcp://user:2"));

        remote.token = "flag-token";
        assertThat(remote.settings(root).token()).isEqualTo("flag-token");

        remote.config = dir.resolve("other.yaml");
        Files.writeString(remote.config, "flight: grpc+tcp://other:3\n");
        assertThat(remote.settings(root)).isEqualTo(new Remote.Settings("http://env:1", "flag-token",
                "grpc+tcp://other:3"));
    }

    @Test
    void aWrongCommandLineExitsWithTwo() {
        Run run = fletcher("frobnicate");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument");
        assertThat(fletcher("query").code()).isEqualTo(2);
    }

    @Test
    void diffsShowChangedLinesWithContext() {
        String before = "kind: feature_view\nname: v\nfeatures:\n- name: a\n  window: 1h\n";
        String after = "kind: feature_view\nname: v\nfeatures:\n- name: a\n  window: 1h\n- name: b\n  window: 1d\n";
        assertThat(Diff.unified(before, after)).startsWith("  ...\n  features:\n").contains("+ - name: b\n+   window: 1d\n");
        assertThat(Diff.unified(after, before)).contains("- - name: b\n");
    }
}
