package dev.fletcher.server.online;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The online store on a redis-server of the test's own, which the test stops and starts. */
public class RedisFaultProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SecondRedis.class));
    }
}
