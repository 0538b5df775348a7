package dev.fletcher.server.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The online suite on Redis. */
@QuarkusTest
@TestProfile(RedisOnlineProfile.class)
class RedisOnlineTest extends AbstractOnlineSuite {
    @AfterAll
    static void removeCounter() throws java.io.IOException {
        RedisCommands.send(6379, "DEL", RedisOnlineProfile.PREFIX + "v1:layer-seq");
    }

    @Test
    void theConfiguredStoreIsRedis() {
        assertThat(stores.get().name()).isEqualTo("redis");
    }
}
