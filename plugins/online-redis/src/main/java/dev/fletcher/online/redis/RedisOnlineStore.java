package dev.fletcher.online.redis;

import dev.fletcher.online.redis.RedisOnlineStoreFactory.RedisSettings;
import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineValues;
import dev.fletcher.spi.online.OnlineView;
import dev.fletcher.spi.online.OnlineWriter;
import dev.fletcher.spi.online.StreamState;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The online store in Redis, keys as {@link RedisKeys} lays them out. Runs write and publish layers
 * ({@link RedisLayerWriter}); stream-fed views keep their state beside their rows ({@link RedisStreamState}). No
 * command spans two keys, so every command works on Redis Cluster; reads and writes are pipelined in batches
 * ({@link RedisTransport}).
 */
final class RedisOnlineStore implements OnlineStore {
    private final String instance;
    private final RedisSettings settings;
    private final RedisKeys keys;
    private final RedisTransport transport;
    private final PublishedStates states;
    private final RedisLayerWriter writer;

    RedisOnlineStore(String instance, RedisSettings settings) {
        this.instance = instance;
        this.settings = settings;
        this.keys = new RedisKeys(settings.keyPrefix());
        this.transport = new RedisTransport(settings);
        this.states = new PublishedStates(transport, keys, settings.timeoutMs(), settings.stateRefreshMs());
        this.writer = new RedisLayerWriter(transport, keys, states, settings);
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Optional<OnlineView> view(String view) {
        return states.view(view);
    }

    @Override
    public CompletionStage<Optional<OnlineView>> viewAsync(String view) {
        return states.viewAsync(view);
    }

    @Override
    public OnlineWriter begin(String view, boolean replace) {
        return writer.begin(view, replace);
    }

    @Override
    public List<Object[]> read(OnlineView state, List<String> entityKeys) {
        try {
            return readAsync(state, entityKeys).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @Override
    public CompletionStage<List<Object[]>> readAsync(OnlineView state, List<String> entityKeys) {
        return readAllAsync(List.of(state), List.of(entityKeys)).thenApply(all -> all.get(0));
    }

    /** Every view's HMGETs pipelined in one round trip. */
    @Override
    public CompletionStage<List<List<Object[]>>> readAllAsync(List<OnlineView> states, List<List<String>> entityKeys) {
        List<Request> requests = new ArrayList<>();
        // per request: which view, and which of its keys (by index) it asked for
        List<Integer> views = new ArrayList<>();
        List<int[]> asked = new ArrayList<>();
        for (int v = 0; v < states.size(); v++) {
            OnlineView state = states.get(v);
            List<String> viewKeys = entityKeys.get(v);
            for (OnlineView.Layer layer : state.layers()) {
                Map<Integer, List<Integer>> byBucket = new LinkedHashMap<>();
                for (int i = 0; i < viewKeys.size(); i++) {
                    if (viewKeys.get(i) != null) {
                        byBucket.computeIfAbsent(RedisKeys.bucket(viewKeys.get(i), layer.buckets()),
                                b -> new ArrayList<>()).add(i);
                    }
                }
                for (Map.Entry<Integer, List<Integer>> entry : byBucket.entrySet()) {
                    Request hmget = Request.cmd(Command.HMGET).arg(keys.bucketKey(state.view(), layer.id(),
                            entry.getKey()));
                    entry.getValue().forEach(i -> hmget.arg(viewKeys.get(i)));
                    requests.add(hmget);
                    views.add(v);
                    asked.add(entry.getValue().stream().mapToInt(Integer::intValue).toArray());
                }
            }
        }
        if (requests.isEmpty()) {
            List<List<Object[]>> empty = new ArrayList<>();
            entityKeys.forEach(k -> empty.add(decode(List.of(), List.of(), List.of(), 0, k.size())));
            return CompletableFuture.completedFuture(empty);
        }
        String what = "reading " + String.join(", ", states.stream().map(OnlineView::view).toList());
        return transport.read(requests, what, responses -> {
            List<List<Object[]>> all = new ArrayList<>(states.size());
            for (int v = 0; v < states.size(); v++) {
                all.add(decode(responses, views, asked, v, entityKeys.get(v).size()));
            }
            return all;
        });
    }

    /** View {@code v}'s rows from the responses: a key takes its value from the first layer that holds it. */
    private static List<Object[]> decode(List<Response> responses, List<Integer> views, List<int[]> asked, int v,
            int count) {
        byte[][] found = new byte[count][];
        for (int r = 0; r < responses.size(); r++) {
            if (views.get(r) != v) {
                continue;
            }
            Response values = responses.get(r);
            int[] indexes = asked.get(r);
            for (int j = 0; j < indexes.length; j++) {
                Response value = values == null ? null : values.get(j);
                if (value != null && found[indexes[j]] == null) {
                    found[indexes[j]] = value.toBytes();
                }
            }
        }
        List<Object[]> rows = new ArrayList<>(count);
        for (byte[] bytes : found) {
            rows.add(bytes == null ? null : OnlineValues.decode(bytes));
        }
        return rows;
    }

    @Override
    public List<String> sampleKeys(OnlineView state, int count) {
        List<Request> requests = new ArrayList<>();
        for (OnlineView.Layer layer : state.layers()) {
            int perBucket = Math.max(1, (int) Math.ceil(count * 2.0 / layer.buckets()));
            for (int bucket = 0; bucket < layer.buckets(); bucket++) {
                requests.add(Request.cmd(Command.HRANDFIELD).arg(keys.bucketKey(state.view(), layer.id(), bucket))
                        .arg(perBucket));
            }
        }
        List<String> all = new ArrayList<>();
        for (Response fields : transport.send(requests, "sampling keys of " + state.view(), settings.timeoutMs())) {
            if (fields != null) {
                fields.forEach(field -> all.add(field.toString(StandardCharsets.UTF_8)));
            }
        }
        Collections.shuffle(all, ThreadLocalRandom.current());
        Set<String> sample = new LinkedHashSet<>();
        for (String key : all) {
            if (sample.size() == count) {
                break;
            }
            sample.add(key);
        }
        return new ArrayList<>(sample);
    }

    @Override
    public void drop(String view) {
        OnlineView state = states.fresh(view);
        List<Request> requests = new ArrayList<>();
        if (state != null) {
            for (OnlineView.Layer layer : state.layers()) {
                for (int bucket = 0; bucket < layer.buckets(); bucket++) {
                    requests.add(Request.cmd(Command.UNLINK).arg(keys.bucketKey(view, layer.id(), bucket)));
                }
            }
        }
        requests.add(Request.cmd(Command.DEL).arg(keys.state(view)));
        requests.add(Request.cmd(Command.DEL).arg(keys.streamEntities(view)));
        requests.add(Request.cmd(Command.DEL).arg(keys.streamOffsets(view)));
        transport.write(requests, "dropping " + view);
        states.forget(view);
    }

    @Override
    public StreamState streams() {
        if (settings.cluster()) {
            throw new NotSupportedException(PluginKind.ONLINE_STORE, name(), instance, "stream state on Redis Cluster"
                    + " (a commit spans keys in several slots)");
        }
        return new RedisStreamState(transport, keys, states, settings);
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "Redis online store at " + String.join(", ", settings.endpoints()) + " (prefix " + settings.keyPrefix()
                + ")";
    }
}
