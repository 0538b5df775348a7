package dev.fletcher.server.online;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A redis-server of the fault test's own, on a free port, keeping every write in an append-only file so that a
 * killed and restarted server comes back with its data. Never the shared one on 6379.
 */
public class SecondRedis implements QuarkusTestResourceLifecycleManager {
    static volatile int port;
    static volatile Path dir;
    private static volatile Process process;

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.createDirectories(Path.of("target"));
            dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "second-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        launch();
        return Map.of("fletcher.online.plugin", "redis",
                "fletcher.online.redis.url", "redis://127.0.0.1:" + port,
                "fletcher.online.redis.timeout-ms", "1000",
                "fletcher.online.redis.state-refresh-ms", "200",
                "fletcher.online.redis.grace-seconds", "0");
    }

    /** Starts redis-server on the port and waits until it answers. */
    public static synchronized void launch() {
        try {
            process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString()))
                    .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "redis.log")).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server (is it installed?): " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if ("+PONG".equals(RedisCommands.send(port, "PING"))) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("the second redis-server on port " + port + " did not answer within 10 s");
    }

    /** Kills the server outright, as a crash would. */
    public static synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Freezes or thaws the server (SIGSTOP / SIGCONT): connections stay open, nothing answers. */
    public static void signal(String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void stop() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }
}
