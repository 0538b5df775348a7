package dev.fletcher.warehouse.trino;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.warehouse.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Trino (coordinator and worker in one) with the memory connector, started once per test JVM
 * and shared by every suite; a shutdown hook stops it. Its files come from Maven Central with the build: the module
 * unpacks {@code io.trino:trino-server-core} and {@code io.trino:trino-memory} under {@code target/trino}, named by
 * the system property {@code fletcher.trino.home}. It runs on a Java of at least 24: {@code FLETCHER_TRINO_JAVA_HOME}
 * or a Temurin 25 JDK under {@code /usr/lib/jvm}. Tables live in {@code memory.fletcher}; uploads go to
 * {@code memory.fletcher_staging}.
 */
public final class TrinoTestServer {
    public static final String CATALOG = "memory";
    public static final String SCHEMA = "fletcher";
    public static final String STAGING = "memory.fletcher_staging";
    private static final long START_TIMEOUT_SECONDS = 240;

    private static volatile TrinoTestServer shared;

    private final Process process;
    private final int port;
    private final Path log;
    private final long startMillis;

    private TrinoTestServer(Process process, int port, Path log, long startMillis) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startMillis = startMillis;
    }

    /** The JVM-wide note of the running server's port, seen from every class loader (Quarkus tests have two). */
    private static final String PORT_PROPERTY = "fletcher.trino.test.port";

    /** The shared server, started on first use. */
    public static TrinoTestServer shared() {
        synchronized (System.class) {
            if (shared == null) {
                String running = System.getProperty(PORT_PROPERTY);
                if (running != null) {
                    // Started through another class loader, which owns the process and stops it.
                    shared = new TrinoTestServer(null, Integer.parseInt(running), null, 0);
                } else {
                    shared = start();
                    TrinoTestServer server = shared;
                    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "trino-test-server-stop"));
                    System.setProperty(PORT_PROPERTY, Integer.toString(server.port));
                }
            }
            return shared;
        }
    }

    public int port() {
        return port;
    }

    /** How long the server took to answer as started. */
    public long startMillis() {
        return startMillis;
    }

    /** The JDBC url of the test schema. */
    public String url() {
        return "jdbc:trino://127.0.0.1:" + port + "/" + CATALOG + "/" + SCHEMA;
    }

    /** The warehouse properties of the test schema, as fletcher.warehouses.&lt;name&gt;.* would give them. */
    public Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("url", url());
        properties.put("user", "fletcher");
        properties.put("staging-schema", STAGING);
        return properties;
    }

    /** A warehouse named {@code name} on the test schema. */
    public Warehouse warehouse(String name, Path dataDir) {
        return new TrinoWarehouseFactory().create(new PluginConfig(name, properties(), dataDir));
    }

    /** Runs a statement outside any warehouse, as an administrator would. */
    public void execute(String sql) {
        Properties properties = new Properties();
        properties.setProperty("user", "fletcher");
        try (Connection connection = TrinoWarehouse.connect(url(), properties);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Trino refused " + sql + ": " + e.getMessage(), e);
        }
    }

    private static TrinoTestServer start() {
        long started = System.nanoTime();
        Path home = Paths.get(System.getProperty("fletcher.trino.home", "target/trino")).toAbsolutePath();
        Path install;
        try (Stream<Path> entries = Files.list(home)) {
            install = entries.filter(p -> p.getFileName().toString().startsWith("trino-server"))
                    .filter(p -> Files.isDirectory(p.resolve("lib"))).findFirst().orElse(null);
        } catch (IOException e) {
            install = null;
        }
        if (install == null || !Files.isDirectory(home.resolve("plugin"))) {
            throw new IllegalStateException("no Trino server under " + home + ": the build unpacks"
                    + " io.trino:trino-server-core and io.trino:trino-memory there at generate-test-resources"
                    + " (run the tests through Maven, or set -Dfletcher.trino.home)");
        }
        Path java = javaExecutable();
        int port = freePort();
        Path run = home.resolve("run-" + port);
        Path etc = run.resolve("etc");
        try {
            Files.createDirectories(etc.resolve("catalog"));
            Files.writeString(etc.resolve("config.properties"), String.join("\n",
                    "coordinator=true",
                    "node-scheduler.include-coordinator=true",
                    "http-server.http.port=" + port,
                    "discovery.uri=http://127.0.0.1:" + port,
                    "plugin.dir=" + home.resolve("plugin"),
                    "catalog.config-dir=" + etc.resolve("catalog"),
                    "query.max-memory=1GB",
                    "query.max-memory-per-node=700MB",
                    "task.concurrency=2",
                    "node-scheduler.max-splits-per-node=32",
                    "") + "\n");
            Files.writeString(etc.resolve("node.properties"), String.join("\n",
                    "node.environment=fletcher_test",
                    "node.id=fletcher-test-" + port,
                    "node.data-dir=" + run.resolve("data"),
                    "") + "\n");
            Files.writeString(etc.resolve("log.properties"), "io.trino=WARN\nio.airlift=WARN\n");
            Files.writeString(etc.resolve("catalog").resolve("memory.properties"),
                    "connector.name=memory\nmemory.max-data-per-node=512MB\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Trino test configuration under " + etc, e);
        }
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-Xmx1500m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:-OmitStackTraceInFastThrow",
                "-XX:ReservedCodeCacheSize=256M", "-Djdk.attach.allowAttachSelf=true",
                "-XX:+EnableDynamicAgentLoading", "--enable-native-access=ALL-UNNAMED", "-Dfile.encoding=UTF-8",
                // Trino 480 and later refuse to start without the Vector API.
                "--add-modules=jdk.incubator.vector",
                "-Duser.timezone=America/New_York",
                "-Dconfig=" + etc.resolve("config.properties"),
                "-Dlog.levels-file=" + etc.resolve("log.properties"),
                "-Dnode.environment=fletcher_test",
                "-cp", install.resolve("lib") + "/*", "io.trino.server.TrinoServer"));
        Path log = run.resolve("server.log");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(run.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + java, e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (!started(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("Trino did not start on port " + port + " within "
                        + START_TIMEOUT_SECONDS + " s; the end of " + log + ":\n" + tail(log));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Trino starts", e);
            }
        }
        TrinoTestServer server = new TrinoTestServer(process, port, log,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        server.execute("CREATE SCHEMA IF NOT EXISTS " + CATALOG + "." + SCHEMA);
        System.out.println("Trino test server on port " + port + " started in " + server.startMillis + " ms");
        return server;
    }

    /** A Java of at least 24, which Trino 476 needs. */
    static Path javaExecutable() {
        String configured = System.getenv("FLETCHER_TRINO_JAVA_HOME");
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Paths.get(configured));
        } else {
            try (Stream<Path> jvms = Files.list(Paths.get("/usr/lib/jvm"))) {
                jvms.filter(p -> p.getFileName().toString().startsWith("temurin-25")).sorted().forEach(candidates::add);
            } catch (IOException e) {
                // No /usr/lib/jvm: reported below.
            }
        }
        for (Path candidate : candidates) {
            Path java = candidate.resolve("bin").resolve("java");
            if (Files.isExecutable(java)) {
                return java;
            }
        }
        throw new IllegalStateException("Trino needs Java 24 or later to run: set FLETCHER_TRINO_JAVA_HOME to such a"
                + " JDK, or install Temurin 25 under /usr/lib/jvm/temurin-25*"
                + (configured == null ? "" : " (FLETCHER_TRINO_JAVA_HOME=" + configured + " has no bin/java)"));
    }

    private static boolean started(int port) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v1/info")
                    .toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            try {
                if (connection.getResponseCode() != 200) {
                    return false;
                }
                String body = new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return body.replace(" ", "").contains("\"starting\":false");
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the server and waits for it to end. */
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
