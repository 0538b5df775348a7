package dev.fletcher.stream.kafka;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.stream.StreamSource;
import dev.fletcher.spi.stream.StreamSourceFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code stream: {plugin: kafka, topic: ..., format: json}}: {@code bootstrap-servers} (default 127.0.0.1:9092), and
 * any Kafka consumer property as {@code consumer.<name>}.
 */
public class KafkaStreamSourceFactory implements StreamSourceFactory {
    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public StreamSource create(PluginConfig config) {
        Map<String, Object> consumer = new HashMap<>();
        config.properties().forEach((key, value) -> {
            if (key.startsWith("consumer.")) {
                consumer.put(key.substring("consumer.".length()), value);
            }
        });
        return new KafkaStreamSource(name(), config.instanceName(),
                config.get("bootstrap-servers").orElse("127.0.0.1:9092"), consumer);
    }
}
