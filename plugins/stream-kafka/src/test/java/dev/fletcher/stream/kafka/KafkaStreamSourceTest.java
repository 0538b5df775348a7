package dev.fletcher.stream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.Plugins;
import dev.fletcher.spi.stream.StreamReader;
import dev.fletcher.spi.stream.StreamRecord;
import dev.fletcher.spi.stream.StreamSource;
import dev.fletcher.spi.stream.StreamSourceFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Kafka plugin against a real in-process KRaft broker. */
class KafkaStreamSourceTest {
    static KafkaBroker broker;
    static StreamSource source;

    @BeforeAll
    static void start() throws Exception {
        broker = new KafkaBroker();
        source = Plugins.load(StreamSourceFactory.class, PluginKind.STREAM).find("kafka").create(new PluginConfig(
                "stream", Map.of("bootstrap-servers", broker.bootstrapServers()), Path.of("target")));
    }

    @AfterAll
    static void stop() throws Exception {
        source.close();
        broker.close();
    }

    static List<StreamRecord> readAll(StreamReader reader, int expected) {
        List<StreamRecord> records = new ArrayList<>();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (records.size() < expected && System.nanoTime() < deadline) {
            records.addAll(reader.poll(Duration.ofMillis(200)));
        }
        // nothing more comes
        records.addAll(reader.poll(Duration.ofMillis(300)));
        return records;
    }

    @Test
    void readsEveryPartitionFromTheEarliestOrFromGivenOffsets() throws Exception {
        broker.createTopic("txns", 2);
        List<Map.Entry<Integer, String>> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            messages.add(Map.entry(i % 2, "{\"customer_id\": \"c" + i + "\", \"amount\": " + i + ".5, \"n\": " + i
                    + ", \"ok\": true, \"txn_at\": \"2026-01-10T10:00:0" + i + "Z\", \"note\": null}"));
        }
        messages.add(Map.entry(1, "not json"));
        broker.send("txns", messages);

        try (StreamReader reader = source.open("txns", "json", Map.of())) {
            assertThat(reader.behind()).as("before the first poll nothing is known").isNotEmpty();
            List<StreamRecord> records = readAll(reader, 11);
            assertThat(records).hasSize(11);
            assertThat(reader.behind()).as("after reading everything").isEmpty();
            StreamRecord first = records.stream().filter(r -> r.partition() == 0 && r.offset() == 0).findFirst()
                    .orElseThrow();
            assertThat(first.row()).containsEntry("customer_id", "c0").containsEntry("amount", 0.5)
                    .containsEntry("n", 0L).containsEntry("ok", true).containsEntry("txn_at", "2026-01-10T10:00:00Z")
                    .containsEntry("note", null);
            StreamRecord bad = records.stream().filter(r -> r.row() == null).findFirst().orElseThrow();
            assertThat(bad.partition()).isEqualTo(1);
            assertThat(bad.offset()).isEqualTo(5);
            assertThat(bad.error()).contains("not JSON");
        }
        // From partition 0 offset 3 (c6, c8 remain) and partition 1 offset 5 (the bad message): 3 records.
        try (StreamReader reader = source.open("txns", "json", Map.of(0, 3L, 1, 5L))) {
            List<StreamRecord> records = readAll(reader, 3);
            assertThat(records).extracting(r -> r.partition() + ":" + r.offset())
                    .containsExactlyInAnyOrder("0:3", "0:4", "1:5");
        }
    }

    @Test
    void aTopicThatDoesNotExistYetIsReadOnceItDoes() throws Exception {
        try (StreamReader reader = source.open("late_topic", "json", Map.of())) {
            assertThat(reader.poll(Duration.ofMillis(200))).isEmpty();
            broker.createTopic("late_topic", 1);
            broker.send("late_topic", List.of(Map.entry(0, "{\"k\": 1}")));
            assertThat(readAll(reader, 1)).extracting(StreamRecord::row).containsExactly(Map.of("k", 1L));
        }
    }

    @Test
    void formatsOtherThanJsonAreDeclaredNotSupported() {
        assertThatThrownBy(() -> source.open("txns", "avro", Map.of()))
                .isInstanceOf(NotSupportedException.class).hasMessageContaining("avro");
    }

    @Test
    void theRefusalNamesTheKindAndTheInstance() {
        assertThatThrownBy(() -> source.open("txns", "avro", Map.of()))
                .hasMessage("stream format 'avro' (json is read) is not supported by stream 'stream' (kafka)");
    }
}
