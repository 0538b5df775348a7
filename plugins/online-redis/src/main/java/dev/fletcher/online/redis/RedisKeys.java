package dev.fletcher.online.redis;

import dev.fletcher.spi.online.OnlineValues;
import dev.fletcher.spi.online.OnlineView;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Key layout, format 1 (see docs/online.md), with {@code P} the key prefix:
 * <pre>
 * P v1:&lt;view&gt;:state                   string: the view's published state ({@link OnlineView#toText})
 * P v1:layer-seq                      string: counter naming layers (never reused, even after a drop)
 * P v1:&lt;view&gt;:layer:&lt;id&gt;:&lt;bucket&gt;   hash: entity key -&gt; row ({@link OnlineValues}), bucket = CRC32(key) mod buckets
 * P v1:&lt;view&gt;:stream:entities       hash: entity key -&gt; stream processing state (stream-fed views, layer 0)
 * P v1:&lt;view&gt;:stream:offsets        hash: partition -&gt; next offset, committed with the rows in one MULTI/EXEC
 * </pre>
 */
record RedisKeys(String prefix) {
    String state(String view) {
        return ofView(view, "state");
    }

    String layerSequence() {
        return prefix + "v1:layer-seq";
    }

    String bucketKey(String view, long layer, int bucket) {
        return ofView(view, "layer:" + layer + ":" + bucket);
    }

    String streamEntities(String view) {
        return ofView(view, "stream:entities");
    }

    String streamOffsets(String view) {
        return ofView(view, "stream:offsets");
    }

    private String ofView(String view, String suffix) {
        return prefix + "v1:" + view + ":" + suffix;
    }

    /** The bucket of an entity key; stored rows depend on it, so it must never change within format 1. */
    static int bucket(String entityKey, int buckets) {
        CRC32 crc = new CRC32();
        crc.update(entityKey.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % buckets);
    }
}
