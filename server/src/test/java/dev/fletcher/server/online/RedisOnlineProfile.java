package dev.fletcher.server.online;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The online store on the shared Redis at 127.0.0.1:6379, under a key prefix of this run's own. */
public class RedisOnlineProfile implements QuarkusTestProfile {
    // The process id, not a random one: the profile is loaded once by the test and once by Quarkus, and both must agree.
    static final String PREFIX = "fltest-server-" + ProcessHandle.current().pid() + ":";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fletcher.online.plugin", "redis",
                "fletcher.online.redis.url", "redis://127.0.0.1:6379",
                "fletcher.online.redis.key-prefix", PREFIX,
                "fletcher.online.redis.grace-seconds", "0");
    }
}
