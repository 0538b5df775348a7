package dev.fletcher.server.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** The online suite on Redis. */
@QuarkusTest
@TestProfile(RedisOnlineProfile.class)
class RedisOnlineTest extends AbstractOnlineSuite {
    @Test
    void theConfiguredStoreIsRedis() {
        assertThat(stores.get().name()).isEqualTo("redis");
    }
}
