package dev.fletcher.online.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.online.OnlineStoreUnavailableException;
import io.vertx.redis.client.impl.types.ErrorType;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** How failures are reported; the commands themselves are tested against real Redis by the conformance suites. */
class RedisTransportTest {
    private static final List<String> ENDPOINTS = List.of("redis://a:6379", "redis://b:6379");

    @Test
    void noAnswerInTimeIsUnavailableAndSaysHowLongItWaited() {
        TimeoutException timeout = new TimeoutException();
        RuntimeException failure = RedisTransport.failure(ENDPOINTS, timeout, "reading v", 250);
        assertThat(failure).isInstanceOf(OnlineStoreUnavailableException.class).hasCause(timeout)
                .hasMessage("Redis (redis://a:6379, redis://b:6379) did not answer within 250 ms while reading v");
    }

    @Test
    void aRefusedCommandIsNotUnavailabilityAndCarriesRedissMessage() {
        ErrorType refused = ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind of value");
        RuntimeException failure = RedisTransport.failure(ENDPOINTS, refused, "publishing v", 250);
        assertThat(failure).isExactlyInstanceOf(PluginException.class).hasCause(refused)
                .hasMessage("Redis refused a command while publishing v: WRONGTYPE Operation against a key holding"
                        + " the wrong kind of value");
    }

    @Test
    void anythingElseIsUnreachable() {
        ConnectException refused = new ConnectException("Connection refused");
        RuntimeException failure = RedisTransport.failure(ENDPOINTS, refused, "dropping v", 250);
        assertThat(failure).isInstanceOf(OnlineStoreUnavailableException.class).hasCause(refused)
                .hasMessage("Redis (redis://a:6379, redis://b:6379) cannot be reached while dropping v:"
                        + " java.net.ConnectException: Connection refused");
    }
}
