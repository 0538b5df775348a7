package dev.fletcher.server.monitor;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The example, with a real local HTTP receiver as the alert webhook and the scheduler ticking every second.
 */
public class MonitorProfile implements QuarkusTestProfile {
    /** The receiver's file of bodies, one per line; a system property, as the profile and test load apart. */
    static final String FILE_PROPERTY = "fletcher.test.webhook.file";
    private static final String PORT_PROPERTY = "fletcher.test.webhook.port";

    static synchronized int receiverPort() {
        String known = System.getProperty(PORT_PROPERTY);
        if (known != null) {
            return Integer.parseInt(known);
        }
        try {
            Path file = Files.createTempFile(Path.of("target").toAbsolutePath(), "webhook-", ".jsonl");
            HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            receiver.createContext("/alerts", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                synchronized (MonitorProfile.class) {
                    Files.writeString(file, body.replace('\n', ' ') + "\n", StandardOpenOption.APPEND);
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            receiver.start();
            System.setProperty(FILE_PROPERTY, file.toString());
            System.setProperty(PORT_PROPERTY, Integer.toString(receiver.getAddress().getPort()));
            return receiver.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every body the receiver got so far. */
    static List<String> received() throws IOException {
        String file = System.getProperty(FILE_PROPERTY);
        return file == null ? List.of() : Files.readAllLines(Path.of(file));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            int port = receiverPort();
            Path dataDir = Files.createTempDirectory(target.toAbsolutePath(), "monitor-data-");
            return Map.of("fletcher.example.enabled", "true", "fletcher.data-dir", dataDir.toString(),
                    "fletcher.alerts.webhook", "http://127.0.0.1:" + port + "/alerts",
                    "fletcher.monitors.schedule", "true", "fletcher.monitors.tick", "1s",
                    // The scheduler's test looks for evaluations at today's times, not at the example data's.
                    "fletcher.monitors.clock", "now");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
