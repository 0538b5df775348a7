package dev.fletcher.server.catalog;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Second start on the first start's data dir, loading nothing. Test profiles start in name order. */
public class RestartSecondStartProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fletcher.data-dir", RestartDataDir.DIR.toString());
    }
}
