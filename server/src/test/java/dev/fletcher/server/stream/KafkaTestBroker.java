package dev.fletcher.server.stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka in the test JVM (Kafka's own test kit), and the server configured to follow it with
 * stream processing on, on a data directory of its own.
 */
public class KafkaTestBroker implements QuarkusTestResourceLifecycleManager {
    static volatile KafkaClusterTestKit cluster;

    @Override
    public Map<String, String> start() {
        try {
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                    .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic("st_txns", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Files.createDirectories(Path.of("target"));
            Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "stream-data-");
            return Map.of("fletcher.streams.enabled", "true",
                    "fletcher.streams.kafka.bootstrap-servers", cluster.bootstrapServers(),
                    "fletcher.streams.poll", "20ms",
                    "fletcher.streams.supervise", "200ms",
                    "fletcher.data-dir", dataDir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test Kafka: " + e.getMessage(), e);
        }
    }

    /** Sends the messages (partition, JSON) and waits until every one is acknowledged. */
    static void send(List<Map.Entry<Integer, String>> messages) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer())) {
            for (Map.Entry<Integer, String> message : messages) {
                producer.send(new ProducerRecord<>("st_txns", message.getKey(), null, message.getValue()));
            }
            producer.flush();
        }
    }

    /** Stops the broker and starts it again on the same port with the same log. */
    static void restart() throws InterruptedException {
        var broker = cluster.brokers().values().iterator().next();
        broker.shutdown();
        broker.awaitShutdown();
        Thread.sleep(500);
        broker.startup();
    }

    @Override
    public void stop() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } catch (Exception e) {
            // the JVM is ending; its temporary directories go with it
        }
    }
}
