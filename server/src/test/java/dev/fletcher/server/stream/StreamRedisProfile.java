package dev.fletcher.server.stream;

import dev.fletcher.server.online.SecondRedis;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** A real Kafka broker and, as the online store, a redis-server of the test's own that it can freeze and kill. */
public class StreamRedisProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaTestBroker.class), new TestResourceEntry(SecondRedis.class));
    }
}
