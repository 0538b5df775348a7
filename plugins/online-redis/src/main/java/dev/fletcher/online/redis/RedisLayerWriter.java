package dev.fletcher.online.redis;

import dev.fletcher.online.redis.RedisOnlineStoreFactory.RedisSettings;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.online.OnlineValues;
import dev.fletcher.spi.online.OnlineView;
import dev.fletcher.spi.online.OnlineWriter;
import dev.fletcher.spi.online.Publication;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs that write a layer and publish it. A run's buckets carry a long pending expiry while written, so a run that
 * dies leaves nothing for ever; publishing sets the layer's real expiry (the view's ttl, or none), then switches the
 * state key (one SET), then lets superseded layers expire after a grace period, so reads that began on the old state
 * finish. Rows go in pipelined batches, so a large run neither waits on each row nor holds all of them.
 */
record RedisLayerWriter(RedisTransport transport, RedisKeys keys, PublishedStates states, RedisSettings settings) {
    private static final int FLUSH_ROWS = 1_000;

    OnlineWriter begin(String view, boolean replace) {
        Response id = transport.send(Request.cmd(Command.INCR).arg(keys.layerSequence()), "starting a run of " + view,
                settings.writeTimeoutMs());
        return new Run(view, replace, id.toLong());
    }

    private final class Run implements OnlineWriter {
        private final String view;
        private final boolean replace;
        private final long layer;
        private final BitSet touched = new BitSet();
        private final Map<Integer, List<byte[]>> buffer = new LinkedHashMap<>();
        private int buffered;
        private long rows;
        private boolean published;

        Run(String view, boolean replace, long layer) {
            this.view = view;
            this.replace = replace;
            this.layer = layer;
        }

        @Override
        public void put(String key, Object[] values) {
            int bucket = RedisKeys.bucket(key, settings.buckets());
            List<byte[]> pairs = buffer.computeIfAbsent(bucket, b -> new ArrayList<>());
            pairs.add(key.getBytes(StandardCharsets.UTF_8));
            pairs.add(OnlineValues.encode(values));
            rows++;
            if (++buffered >= FLUSH_ROWS) {
                flush();
            }
        }

        private void flush() {
            if (buffer.isEmpty()) {
                return;
            }
            List<Request> requests = new ArrayList<>();
            for (Map.Entry<Integer, List<byte[]>> entry : buffer.entrySet()) {
                String bucketKey = keys.bucketKey(view, layer, entry.getKey());
                Request hset = Request.cmd(Command.HSET).arg(bucketKey);
                entry.getValue().forEach(bytes -> hset.arg(Buffer.buffer(bytes)));
                requests.add(hset);
                if (!touched.get(entry.getKey())) {
                    touched.set(entry.getKey());
                    requests.add(Request.cmd(Command.EXPIRE).arg(bucketKey).arg(settings.pendingExpirySeconds()));
                }
            }
            transport.write(requests, "writing rows of " + view);
            buffer.clear();
            buffered = 0;
        }

        @Override
        public long rows() {
            return rows;
        }

        @Override
        public OnlineView publish(Publication publication) {
            flush();
            OnlineView previous = states.fresh(view);
            Instant now = Instant.now();
            OnlineView next = OnlineView.next(view, previous, replace, publication,
                    new OnlineView.Layer(layer, settings.buckets(), rows, now), now);
            List<Request> expiry = new ArrayList<>();
            for (int bucket = touched.nextSetBit(0); bucket >= 0; bucket = touched.nextSetBit(bucket + 1)) {
                expiry.add(expire(keys.bucketKey(view, layer, bucket), next.ttlSeconds()));
            }
            // Older layers kept below this one live as long as the newest, as on the embedded store.
            for (OnlineView.Layer older : next.layers()) {
                if (next.ttlSeconds() != null && older.id() != layer) {
                    for (int bucket = 0; bucket < older.buckets(); bucket++) {
                        expiry.add(expire(keys.bucketKey(view, older.id(), bucket), next.ttlSeconds()));
                    }
                }
            }
            transport.write(expiry, "setting the expiry of " + view);
            transport.send(Request.cmd(Command.SET).arg(keys.state(view)).arg(next.toText()), "publishing " + view,
                    settings.writeTimeoutMs());
            states.remember(view, next);
            published = true;
            if (previous != null) {
                Set<Long> kept = new HashSet<>();
                next.layers().forEach(l -> kept.add(l.id()));
                List<Request> retire = new ArrayList<>();
                for (OnlineView.Layer old : previous.layers()) {
                    if (!kept.contains(old.id())) {
                        for (int bucket = 0; bucket < old.buckets(); bucket++) {
                            retire.add(settings.graceSeconds() > 0
                                    ? Request.cmd(Command.EXPIRE).arg(keys.bucketKey(view, old.id(), bucket))
                                    .arg(settings.graceSeconds())
                                    : Request.cmd(Command.UNLINK).arg(keys.bucketKey(view, old.id(), bucket)));
                        }
                    }
                }
                try {
                    transport.write(retire, "retiring old layers of " + view);
                } catch (PluginException e) {
                    // they still carry the pending expiry of their own run or the view's ttl at worst
                }
            }
            return next;
        }

        @Override
        public void close() {
            if (!published) {
                List<Request> unlink = new ArrayList<>();
                for (int bucket = touched.nextSetBit(0); bucket >= 0; bucket = touched.nextSetBit(bucket + 1)) {
                    unlink.add(Request.cmd(Command.UNLINK).arg(keys.bucketKey(view, layer, bucket)));
                }
                try {
                    transport.write(unlink, "discarding an unpublished run of " + view);
                } catch (PluginException e) {
                    // the pending expiry removes them
                }
            }
        }
    }

    private static Request expire(String key, Long ttlSeconds) {
        return ttlSeconds == null ? Request.cmd(Command.PERSIST).arg(key)
                : Request.cmd(Command.EXPIRE).arg(key).arg(ttlSeconds);
    }
}
