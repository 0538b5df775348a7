package dev.fletcher.online.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.conformance.online.OnlineStoreConformanceTest;
import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.online.OnlineStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite on a real three-node Redis Cluster of the test's own (redis-server processes on free ports,
 * joined with redis-cli --cluster create): every command names one key, so keys spread over all nodes.
 */
class RedisClusterOnlineStoreTest extends OnlineStoreConformanceTest {
    static final List<Process> NODES = new ArrayList<>();
    static final List<Integer> PORTS = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")).toAbsolutePath(), "cluster-");
        while (PORTS.size() < 3) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            if (port < 55_000 && free(port + 10_000)) {
                PORTS.add(port);
            }
        }
        for (int port : PORTS) {
            Path nodeDir = Files.createDirectories(dir.resolve(Integer.toString(port)));
            NODES.add(new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--save", "",
                    "--appendonly", "no", "--dir", nodeDir.toString())
                    .redirectErrorStream(true).redirectOutput(nodeDir.resolve("redis.log").toFile()).start());
        }
        for (int port : PORTS) {
            await(() -> "+PONG".equals(command(port, "PING")));
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        PORTS.forEach(p -> create.add("127.0.0.1:" + p));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process cli = new ProcessBuilder(create).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes());
        assertThat(cli.waitFor()).as(out).isZero();
        for (int port : PORTS) {
            await(() -> clusterOk(port));
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean clusterOk(int port) {
        try {
            Process info = new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "cluster", "info").start();
            return new String(info.getInputStream().readAllBytes()).contains("cluster_state:ok");
        } catch (IOException e) {
            return false;
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check check) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the test cluster did not come up within 20 s");
    }

    static String command(int port, String... args) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                request.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
            }
            socket.getOutputStream().write(request.toString().getBytes());
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream())).readLine();
        }
    }

    @AfterAll
    static void stopCluster() {
        NODES.forEach(Process::destroyForcibly);
    }

    @Override
    protected OnlineStore open() {
        StringBuilder urls = new StringBuilder();
        for (int port : PORTS) {
            urls.append(urls.length() == 0 ? "" : ",").append("redis://127.0.0.1:").append(port);
        }
        return new RedisOnlineStoreFactory().create(new PluginConfig("online", Map.of("url", urls.toString(),
                "type", "cluster", "key-prefix", "fltest:", "buckets", "16", "grace-seconds", "0",
                "state-refresh-ms", "0"), Path.of("target")));
    }

    @Override
    protected boolean supportsStreams() {
        return false;
    }

    @Test
    void theRefusalOfStreamStateNamesTheStoreInstance() {
        assertThatThrownBy(() -> store.streams())
                .isInstanceOf(NotSupportedException.class)
                .hasMessage("stream state on Redis Cluster (a commit spans keys in several slots) is not supported by"
                        + " online store 'online' (redis)");
    }

    @Test
    void aViewsKeysSpreadOverEveryNode() throws Exception {
        String view = newView();
        List<String> keys = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add(key("k" + i));
            rows.add(row((long) i, null, null, null, null, null, null));
        }
        publish(view, true, publication(AS_OF, null), keys, rows);
        for (int port : PORTS) {
            String size = command(port, "DBSIZE");
            assertThat(Long.parseLong(size.substring(1))).as("keys on node %d", port).isPositive();
        }
    }
}
