package dev.fletcher.online.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.conformance.online.OnlineStoreConformanceTest;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** On the shared Redis at 127.0.0.1:6379, under a key prefix of this run's own. */
class RedisOnlineStoreTest extends OnlineStoreConformanceTest {
    static final String PREFIX = "fltest-" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @Override
    protected OnlineStore open() {
        return new RedisOnlineStoreFactory().create(new PluginConfig("online", Map.of(
                "url", "redis://127.0.0.1:6379", "key-prefix", PREFIX, "buckets", "16", "grace-seconds", "0",
                "state-refresh-ms", "0"), Path.of("target")));
    }

    @AfterAll
    static void removeCounter() throws IOException {
        command("DEL", PREFIX + "v1:layer-seq");
    }

    @Test
    void keysFollowTheDocumentedLayoutAndCarryTheTtl() throws IOException {
        String view = newView();
        OnlineView state = publish(view, true, publication(AS_OF, 3_600L), List.of(key("c1")),
                rows(row("pro", 1L, 0.5, true, null, null, null)));
        long layer = state.layers().get(0).id();
        int bucket = RedisKeys.bucket("c1", 16);
        String bucketKey = PREFIX + "v1:" + view + ":layer:" + layer + ":" + bucket;
        assertThat(command("EXISTS", PREFIX + "v1:" + view + ":state")).isEqualTo(":1");
        assertThat(command("HEXISTS", bucketKey, "c1")).isEqualTo(":1");
        long ttl = Long.parseLong(command("TTL", bucketKey).substring(1));
        assertThat(ttl).isBetween(3_590L, 3_600L);
    }

    /** One RESP command on a raw socket, answering the first line of the reply. */
    static String command(String... args) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", 6379)) {
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                        .append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
