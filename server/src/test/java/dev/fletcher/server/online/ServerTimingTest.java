package dev.fletcher.server.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class ServerTimingTest {
    @Test
    void millisecondsWithThreeDecimalsAsFormatWouldWriteThem() {
        assertThat(OnlineResource.serverTiming(0)).isEqualTo("online;dur=0.000");
        assertThat(OnlineResource.serverTiming(5_000)).isEqualTo("online;dur=0.005");
        assertThat(OnlineResource.serverTiming(1_234_567)).isEqualTo("online;dur=1.235");
        assertThat(OnlineResource.serverTiming(40_000)).isEqualTo("online;dur=0.040");
        for (int i = 0; i < 10_000; i++) {
            long nanos = ThreadLocalRandom.current().nextLong(0, 5_000_000_000L) / 1000 * 1000;
            assertThat(OnlineResource.serverTiming(nanos))
                    .isEqualTo("online;dur=" + String.format(Locale.ROOT, "%.3f", nanos / 1e6));
        }
    }
}
