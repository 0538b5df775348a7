package dev.fletcher.server.catalog;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** First of two starts on one data dir: a fresh dir, and a catalog folder loaded at start. */
public class RestartFirstStartProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RestartDataDir.class));
    }
}
