package dev.fletcher.cli;

import dev.fletcher.sdk.FletcherClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine.Option;

/**
 * Where the server is and which key to send. Each setting is taken from the first of: the flag, the environment
 * ({@code FLETCHER_URL}, {@code FLETCHER_TOKEN}, {@code FLETCHER_FLIGHT}), the config file given with
 * {@code --config}, else {@code fletcher.yaml} in the working folder, else {@code ~/.config/fletcher/config.yaml}
 * ({@code $XDG_CONFIG_HOME/fletcher/config.yaml}); the URL defaults to http://localhost:8080.
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
        Map<String, Object> file = configFile(root);
        String resolvedUrl = first(url, root.env.get("FLETCHER_URL"), text(file.get("url")), DEFAULT_URL);
        String resolvedToken = first(token, root.env.get("FLETCHER_TOKEN"), text(file.get("token")), null);
        String resolvedFlight = first(flight, root.env.get("FLETCHER_FLIGHT"), text(file.get("flight")), null);
        return new Settings(resolvedUrl, resolvedToken, resolvedFlight);
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

    private Map<String, Object> configFile(Fletcher root) {
        Path file = config;
        if (file == null) {
            Path project = root.workingDir.resolve("fletcher.yaml");
            String xdg = root.env.get("XDG_CONFIG_HOME");
            Path user = (xdg == null || xdg.isBlank() ? root.home.resolve(".config") : Path.of(xdg))
                    .resolve("fletcher").resolve("config.yaml");
            file = Files.isRegularFile(project) ? project : Files.isRegularFile(user) ? user : null;
        } else if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the config file " + file + " does not exist");
        }
        if (file == null) {
            return Map.of();
        }
        try (InputStream in = Files.newInputStream(file)) {
            Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            if (tree == null) {
                return Map.of();
            }
            if (!(tree instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("the config file " + file + " must be a YAML mapping"
                        + " (url: ..., token: ...)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> settings = (Map<String, Object>) map;
            return settings;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the config file " + file + ": " + e.getMessage(), e);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new IllegalArgumentException("the config file " + file + " is not valid YAML: " + e.getMessage());
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
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
