package dev.fletcher.cli;

import dev.fletcher.sdk.FletcherClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import picocli.CommandLine.Option;

/**
 * Where the server is and which key to send. Each setting is taken from the first of: the flag, the environment
 * ({@code FLETCHER_URL}, {@code FLETCHER_TOKEN}, {@code FLETCHER_FLIGHT}), {@code fletcher.yaml} in the working
 * folder, {@code ~/.config/fletcher/config.yaml} ({@code $XDG_CONFIG_HOME/fletcher/config.yaml}); {@code --config}
 * names one file in place of those two. The URL defaults to http://localhost:8080.
 */
final class Remote {
    static final String DEFAULT_URL = "http://localhost:8080";

    @Option(names = "--url", paramLabel = "URL", description = "The server's HTTP address (env FLETCHER_URL;"
            + " default " + DEFAULT_URL + ").")
    String url;

    @Option(names = "--token", paramLabel = "KEY", description = "The API key to send (env FLETCHER_TOKEN).")
    String token;

    @Option(names = "--flight", paramLabel = "URI", description = "The Arrow Flight location, e.g."
            + " grpc+tcp://host:8815 (env FLETCHER_FLIGHT; default: the URL's host on port 8815).")
    String flight;

    @Option(names = "--config", paramLabel = "FILE", description = "A config file (YAML: url, token, flight) in"
            + " place of ./fletcher.yaml and ~/.config/fletcher/config.yaml.")
    Path config;

    /** The resolved settings. */
    record Settings(String url, String token, String flight) {
    }

    Settings settings(Fletcher root) {
        List<Map<String, Object>> files = configFiles(root);
        return new Settings(
                first(url, root.env.get("FLETCHER_URL"), fromFiles(files, "url"), DEFAULT_URL),
                first(token, root.env.get("FLETCHER_TOKEN"), fromFiles(files, "token")),
                first(flight, root.env.get("FLETCHER_FLIGHT"), fromFiles(files, "flight")));
    }

    FletcherClient connect(Fletcher root) {
        Settings settings = settings(root);
        URI http;
        try {
            http = URI.create(settings.url());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the server URL '" + settings.url() + "' is not a URL");
        }
        FletcherClient.Builder builder = FletcherClient.builder().http(http).apiKey(settings.token());
        if (settings.flight() != null) {
            builder.flight(URI.create(settings.flight()));
        }
        return builder.build();
    }

    /** The config files in the order they are asked: --config alone, else the project's, then the user's. */
    private List<Map<String, Object>> configFiles(Fletcher root) {
        if (config != null) {
            if (!Files.isRegularFile(root.workingDir.resolve(config))) {
                throw new IllegalArgumentException("the config file " + config + " does not exist");
            }
            return List.of(read(root.workingDir.resolve(config)));
        }
        String xdg = root.env.get("XDG_CONFIG_HOME");
        Path user = (xdg == null || xdg.isBlank() ? root.home.resolve(".config") : Path.of(xdg))
                .resolve("fletcher").resolve("config.yaml");
        List<Map<String, Object>> files = new ArrayList<>();
        for (Path file : List.of(root.workingDir.resolve(Bundles.PROJECT_CONFIG), user)) {
            if (Files.isRegularFile(file)) {
                files.add(read(file));
            }
        }
        return files;
    }

    private static Map<String, Object> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            if (tree == null) {
                return Map.of();
            }
            if (!(tree instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("the config file " + file + " must be a YAML mapping"
                        + " (url: ..., token: ...)");
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            map.forEach((k, v) -> settings.put(String.valueOf(k), v));
            return settings;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the config file " + file + ": " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("the config file " + file + " is not valid YAML: " + e.getMessage());
        }
    }

    private static String fromFiles(List<Map<String, Object>> files, String key) {
        for (Map<String, Object> file : files) {
            Object value = file.get(key);
            if (value != null && !value.toString().isBlank()) {
                return value.toString();
            }
        }
        return null;
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }
}
