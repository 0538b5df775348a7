package dev.fletcher.stream.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.stream.StreamReader;
import dev.fletcher.spi.stream.StreamRecord;
import dev.fletcher.spi.stream.StreamSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Kafka topics read with a plain consumer on manually assigned partitions: no consumer group and no offset commits,
 * since the caller stores the positions together with what it computed from the records.
 */
final class KafkaStreamSource implements StreamSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String plugin;
    private final String instance;
    private final String bootstrapServers;
    private final Map<String, Object> consumerProperties;

    KafkaStreamSource(String plugin, String instance, String bootstrapServers, Map<String, Object> consumerProperties) {
        this.plugin = plugin;
        this.instance = instance;
        this.bootstrapServers = bootstrapServers;
        this.consumerProperties = Map.copyOf(consumerProperties);
    }

    @Override
    public StreamReader open(String topic, String format, Map<Integer, Long> from) {
        if (!format.toLowerCase(Locale.ROOT).equals("json")) {
            throw new NotSupportedException(PluginKind.STREAM, plugin, instance, "stream format '" + format
                    + "' (json is read)");
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "fletcher-" + topic + "-" + UUID.randomUUID().toString()
                .substring(0, 8));
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        properties.putAll(consumerProperties);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        return new Reader(consumer, topic, from);
    }

    private static final class Reader implements StreamReader {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final String topic;
        private final Map<Integer, Long> from;
        private boolean assigned;

        Reader(KafkaConsumer<byte[], byte[]> consumer, String topic, Map<Integer, Long> from) {
            this.consumer = consumer;
            this.topic = topic;
            this.from = new HashMap<>(from);
        }

        @Override
        public List<StreamRecord> poll(Duration timeout) {
            try {
                if (!assigned && !assign(timeout)) {
                    return List.of();
                }
                List<StreamRecord> records = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
                    records.add(decode(record));
                }
                return records;
            } catch (WakeupException e) {
                return List.of();
            }
        }

        @Override
        public Set<Integer> behind() {
            if (!assigned) {
                return Set.of(-1);
            }
            Set<Integer> behind = new HashSet<>();
            for (TopicPartition partition : consumer.assignment()) {
                OptionalLong lag = consumer.currentLag(partition);
                if (lag.isEmpty() || lag.getAsLong() > 0) {
                    behind.add(partition.partition());
                }
            }
            return behind;
        }

        /** Takes every partition of the topic, each from its given offset or the earliest; false while it is absent. */
        private boolean assign(Duration timeout) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, timeout);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                return false;
            }
            if (partitions == null || partitions.isEmpty()) {
                sleep(timeout);
                return false;
            }
            List<TopicPartition> assignment = partitions.stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assignment);
            for (TopicPartition partition : assignment) {
                Long offset = from.get(partition.partition());
                if (offset != null) {
                    consumer.seek(partition, offset);
                } else {
                    consumer.seekToBeginning(List.of(partition));
                }
            }
            assigned = true;
            return true;
        }

        private static StreamRecord decode(ConsumerRecord<byte[], byte[]> record) {
            if (record.value() == null) {
                return new StreamRecord(record.partition(), record.offset(), null, "the message has no value");
            }
            try {
                JsonNode node = JSON.readTree(record.value());
                if (node == null || !node.isObject()) {
                    return new StreamRecord(record.partition(), record.offset(), null,
                            "the message is not a JSON object");
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    JsonNode value = field.getValue();
                    Object decoded;
                    if (value.isNull()) {
                        decoded = null;
                    } else if (value.isTextual()) {
                        decoded = value.asText();
                    } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                        decoded = value.asLong();
                    } else if (value.isNumber()) {
                        decoded = value.asDouble();
                    } else if (value.isBoolean()) {
                        decoded = value.asBoolean();
                    } else {
                        decoded = value.toString();
                    }
                    row.put(field.getKey(), decoded);
                }
                return new StreamRecord(record.partition(), record.offset(), row, null);
            } catch (java.io.IOException e) {
                return new StreamRecord(record.partition(), record.offset(), null, "the message is not JSON: "
                        + e.getMessage());
            }
        }

        private static void sleep(Duration timeout) {
            try {
                Thread.sleep(Math.min(timeout.toMillis(), 1_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "Kafka at " + bootstrapServers;
    }
}
