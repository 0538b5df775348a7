package dev.fletcher.server.online;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.UUID;

/** The online store on the shared Redis at 127.0.0.1:6379, under a key prefix of this run's own. */
public class RedisOnlineProfile implements QuarkusTestProfile {
    static final String PREFIX = "fltest-server-" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fletcher.online.plugin", "redis",
                "fletcher.online.redis.url", "redis://127.0.0.1:6379",
                "fletcher.online.redis.key-prefix", PREFIX,
                "fletcher.online.redis.grace-seconds", "0");
    }
}
