package dev.fletcher.online.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisKeysTest {
    private final RedisKeys keys = new RedisKeys("fletcher:");

    @Test
    void keysAreTheOnesDocsOnlineMdNames() {
        assertThat(keys.state("customer_profile")).isEqualTo("fletcher:v1:customer_profile:state");
        assertThat(keys.layerSequence()).isEqualTo("fletcher:v1:layer-seq");
        assertThat(keys.bucketKey("customer_profile", 42, 7)).isEqualTo("fletcher:v1:customer_profile:layer:42:7");
        assertThat(keys.streamEntities("clicks")).isEqualTo("fletcher:v1:clicks:stream:entities");
        assertThat(keys.streamOffsets("clicks")).isEqualTo("fletcher:v1:clicks:stream:offsets");
    }

    @Test
    void theBucketIsTheCrc32OfTheUtf8BytesModuloTheBuckets() {
        // 0xCBF43926 is the published CRC-32 check value of "123456789"; it is above Integer.MAX_VALUE, so a signed
        // remainder would come out negative.
        assertThat(RedisKeys.bucket("123456789", 256)).isEqualTo(0x26);
        assertThat(RedisKeys.bucket("123456789", 65_536)).isEqualTo(0x3926);
        assertThat(RedisKeys.bucket("123456789", 1)).isZero();
        // CRC-32 of C3 A9, the UTF-8 of "é" (its ISO-8859-1 byte E9 would land elsewhere)
        assertThat(RedisKeys.bucket("é", 65_536)).isEqualTo(0x8D3E);
    }
}
