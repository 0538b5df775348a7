package dev.fletcher.server.trainingset;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A warehouse with a one-second statement timeout, and REST answers of at most three rows. */
public class QueryLimitsProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fletcher.warehouses.default.statement-timeout", "1s", "fletcher.rest.max-rows", "3",
                "fletcher.data-dir", "target/fletcher-limits-data");
    }
}
