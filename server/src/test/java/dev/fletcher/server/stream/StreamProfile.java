package dev.fletcher.server.stream;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

public class StreamProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KafkaTestBroker.class));
    }
}
