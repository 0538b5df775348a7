package dev.fletcher.warehouse.spark;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.warehouse.Warehouse;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One real Spark Connect server per test JVM, shared by every suite: started on first use as a separate JVM from
 * the jars that {@code plugins/spark-connect-server} copies (no Spark class is on the test classpath), stopped by a
 * shutdown hook. With {@code -Dfletcher.test.spark.url=sc://host:port} the tests use a server that is already
 * running instead.
 */
public final class SparkConnectFixture {
    private static final List<String> OPENS = List.of("java.base/java.lang", "java.base/java.lang.invoke",
            "java.base/java.lang.reflect", "java.base/java.io", "java.base/java.net", "java.base/java.nio",
            "java.base/java.util", "java.base/java.util.concurrent", "java.base/java.util.concurrent.atomic",
            "java.base/sun.nio.ch", "java.base/sun.nio.cs", "java.base/sun.security.action",
            "java.base/sun.util.calendar");

    private static String url;
    private static Process process;
    private static long startMillis = -1;

    private SparkConnectFixture() {
    }

    /** The server's {@code sc://} URL, starting it on first call. */
    public static synchronized String url() {
        if (url == null) {
            String given = System.getProperty("fletcher.test.spark.url", "");
            url = given.isBlank() ? start() : given;
            // Seen by a copy of this class in another class loader (Quarkus tests load the application's own).
            System.setProperty("fletcher.test.spark.url", url);
        }
        return url;
    }

    /** How long the server took to accept connections, or -1 when an external one is used. */
    public static synchronized long startMillis() {
        return startMillis;
    }

    /** A warehouse on the shared server; the caller closes it (the server keeps running). */
    public static Warehouse warehouse(String instanceName, Path dataDir) {
        Map<String, String> properties = new HashMap<>();
        properties.put("url", url());
        return new SparkWarehouseFactory().create(new PluginConfig(instanceName, properties, dataDir));
    }

    /** The folder the server keeps its tables and scratch files in (a place it can write Parquet to). */
    public static synchronized Path workDir() {
        url();
        if (workDir == null) {
            // An external server on this machine: a folder both can reach.
            try {
                workDir = Files.createDirectories(Paths.get("target", "spark-connect-external").toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return workDir;
    }

    private static Path workDir;

    private static String start() {
        Path jars = jarsDir();
        try {
            // Under the module's target folder; a fresh one per run, since tables of an earlier run would be in the way.
            Path root = Paths.get("target", "spark-connect").toAbsolutePath();
            Files.createDirectories(root);
            workDir = Files.createTempDirectory(root, "run-");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            List<String> command = new ArrayList<>();
            command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            for (String open : OPENS) {
                command.add("--add-opens=" + open + "=ALL-UNNAMED");
            }
            command.addAll(List.of("-Xmx1g", "-XX:+UseSerialGC", "-Djdk.reflect.useDirectMethodHandle=false",
                    "-Dspark.master=local[2]", "-Dspark.connect.grpc.binding.port=" + port,
                    "-Dspark.connect.grpc.binding.address=127.0.0.1", "-Dspark.driver.host=127.0.0.1",
                    "-Dspark.driver.bindAddress=127.0.0.1", "-Dspark.ui.enabled=false",
                    "-Dspark.sql.shuffle.partitions=2", "-Dspark.default.parallelism=2",
                    "-Dspark.sql.adaptive.enabled=false",
                    "-Dspark.sql.warehouse.dir=" + workDir.resolve("warehouse"),
                    "-Dspark.local.dir=" + workDir.resolve("local"),
                    "-Dderby.system.home=" + workDir.resolve("derby"),
                    "-Djava.io.tmpdir=" + workDir,
                    "-cp", jars.toAbsolutePath() + File.separator + "*",
                    "org.apache.spark.sql.connect.service.SparkConnectServer"));
            Path log = workDir.resolve("spark-connect-server.log");
            Path logConfig = workDir.resolve("log4j2.properties");
            Files.writeString(logConfig, String.join("\n", "rootLogger.level = warn",
                    "rootLogger.appenderRef.out.ref = out", "appender.out.type = Console", "appender.out.name = out",
                    "appender.out.layout.type = PatternLayout",
                    "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n", ""));
            command.add(command.size() - 3, "-Dlog4j2.configurationFile=" + logConfig.toUri());
            long started = System.nanoTime();
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Process running = process;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running), "spark-connect-stop"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!accepts(port)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Spark Connect server exited with " + process.exitValue()
                            + "; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    stop(process);
                    throw new IllegalStateException("the Spark Connect server did not listen within 180 s; see " + log);
                }
                Thread.sleep(200);
            }
            startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.println("Spark Connect server on port " + port + " after " + startMillis + " ms (log " + log
                    + ")");
            return "sc://127.0.0.1:" + port;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Spark Connect server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the Spark Connect server", e);
        }
    }

    /** Stops the server this JVM started (tests normally leave that to the shutdown hook). */
    public static synchronized void stop() {
        if (process != null) {
            stop(process);
        }
    }

    private static void stop(Process server) {
        server.destroy();
        try {
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code -Dfletcher.test.spark.jars}, or the jars folder of the reactor's spark-connect-server module. */
    private static Path jarsDir() {
        String given = System.getProperty("fletcher.test.spark.jars", "");
        if (!given.isBlank()) {
            return Paths.get(given);
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("plugins/spark-connect-server/target/jars");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no Spark Connect server jars: build plugins/spark-connect-server (the"
                + " reactor does so before this module) or set -Dfletcher.test.spark.jars");
    }
}
