package dev.fletcher.online.redis;

import dev.fletcher.online.redis.RedisOnlineStoreFactory.RedisSettings;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineStoreUnavailableException;
import dev.fletcher.spi.online.OnlineValues;
import dev.fletcher.spi.online.OnlineView;
import dev.fletcher.spi.online.OnlineWriter;
import dev.fletcher.spi.online.Publication;
import dev.fletcher.spi.online.StreamCommit;
import dev.fletcher.spi.online.StreamState;
import dev.fletcher.spi.NotSupportedException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;
import java.util.zip.CRC32;

/**
 * The online store in Redis. Key layout, format 1 (see docs/online.md), with {@code P} the key prefix:
 * <pre>
 * P v1:&lt;view&gt;:state                   string: the view's published state ({@link OnlineView#toText})
 * P v1:layer-seq                      string: counter naming layers (never reused, even after a drop)
 * P v1:&lt;view&gt;:layer:&lt;id&gt;:&lt;bucket&gt;   hash: entity key -&gt; row ({@link OnlineValues}), bucket = CRC32(key) mod buckets
 * P v1:&lt;view&gt;:stream:entities       hash: entity key -&gt; stream processing state (stream-fed views, layer 0)
 * P v1:&lt;view&gt;:stream:offsets        hash: partition -&gt; next offset, committed with the rows in one MULTI/EXEC
 * </pre>
 * A run's buckets carry a long pending expiry while written, so a run that dies leaves nothing for ever; publishing
 * sets the layer's real expiry (the view's ttl, or none), then switches the state key (one SET), then lets superseded
 * layers expire after a grace period, so reads that began on the old state finish. No command spans two keys, so
 * every command works on Redis Cluster; reads and writes are pipelined in batches.
 */
final class RedisOnlineStore implements OnlineStore {
    private static final int FLUSH_ROWS = 1_000;

    private final RedisSettings settings;
    private final Vertx vertx;
    private final Redis redis;
    private final Map<String, Cached> states = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<Future<RedisConnection>> readers;
    private final AtomicInteger nextReader = new AtomicInteger();

    private record Cached(OnlineView state, long fetchedAt) {
    }

    RedisOnlineStore(RedisSettings settings) {
        this.settings = settings;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.eventLoops()).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        RedisOptions options = new RedisOptions()
                .setType(settings.cluster() ? RedisClientType.CLUSTER : RedisClientType.STANDALONE)
                .setMaxPoolSize(settings.poolSize())
                .setMaxPoolWaiting(Math.max(1024, settings.poolSize() * 64))
                .setMaxWaitingHandlers(4096)
                .setPoolRecycleTimeout(15_000)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout(settings.timeoutMs()).setTcpNoDelay(true)
                        .setTcpKeepAlive(true));
        settings.endpoints().forEach(options::addConnectionString);
        this.redis = Redis.createClient(vertx, options);
        this.readers = new AtomicReferenceArray<>(Math.max(1, Math.min(4, settings.poolSize() / 2)));
        // Opens the first connection (and loads the client's classes) now rather than in the first read.
        redis.send(Request.cmd(Command.PING));
    }

    @Override
    public String name() {
        return "redis";
    }

    String key(String view, String suffix) {
        return settings.keyPrefix() + "v1:" + view + ":" + suffix;
    }

    String bucketKey(String view, long layer, int bucket) {
        return key(view, "layer:" + layer + ":" + bucket);
    }

    static int bucket(String entityKey, int buckets) {
        CRC32 crc = new CRC32();
        crc.update(entityKey.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % buckets);
    }

    @Override
    public Optional<OnlineView> view(String view) {
        Cached cached = states.get(view);
        long now = System.nanoTime();
        if (cached != null && now - cached.fetchedAt < TimeUnit.MILLISECONDS.toNanos(settings.stateRefreshMs())) {
            return Optional.ofNullable(cached.state);
        }
        Response text = await(redis.send(Request.cmd(Command.GET).arg(key(view, "state"))), "reading the state of "
                + view);
        OnlineView state = text == null ? null : OnlineView.fromText(text.toString(StandardCharsets.UTF_8));
        states.put(view, new Cached(state, now));
        return Optional.ofNullable(state);
    }

    @Override
    public OnlineWriter begin(String view, boolean replace) {
        Response id = await(redis.send(Request.cmd(Command.INCR).arg(settings.keyPrefix() + "v1:layer-seq")), "starting a run of "
                + view, settings.writeTimeoutMs());
        return new Writer(view, replace, id.toLong());
    }

    private final class Writer implements OnlineWriter {
        private final String view;
        private final boolean replace;
        private final long layer;
        private final BitSet touched = new BitSet();
        private final Map<Integer, List<byte[]>> buffer = new LinkedHashMap<>();
        private int buffered;
        private long rows;
        private boolean published;

        Writer(String view, boolean replace, long layer) {
            this.view = view;
            this.replace = replace;
            this.layer = layer;
        }

        @Override
        public void put(String key, Object[] values) {
            int bucket = bucket(key, settings.buckets());
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
                String bucketKey = bucketKey(view, layer, entry.getKey());
                Request hset = Request.cmd(Command.HSET).arg(bucketKey);
                entry.getValue().forEach(bytes -> hset.arg(Buffer.buffer(bytes)));
                requests.add(hset);
                if (!touched.get(entry.getKey())) {
                    touched.set(entry.getKey());
                    requests.add(Request.cmd(Command.EXPIRE).arg(bucketKey).arg(settings.pendingExpirySeconds()));
                }
            }
            write(requests, "writing rows of " + view);
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
            OnlineView previous = fresh(view);
            Instant now = Instant.now();
            OnlineView next = OnlineView.next(view, previous, replace, publication,
                    new OnlineView.Layer(layer, settings.buckets(), rows, now), now);
            List<Request> expiry = new ArrayList<>();
            for (int bucket = touched.nextSetBit(0); bucket >= 0; bucket = touched.nextSetBit(bucket + 1)) {
                expiry.add(expire(bucketKey(view, layer, bucket), next.ttlSeconds()));
            }
            // Older layers kept below this one live as long as the newest, as on the embedded store.
            for (OnlineView.Layer older : next.layers()) {
                if (next.ttlSeconds() != null && older.id() != layer) {
                    for (int bucket = 0; bucket < older.buckets(); bucket++) {
                        expiry.add(expire(bucketKey(view, older.id(), bucket), next.ttlSeconds()));
                    }
                }
            }
            write(expiry, "setting the expiry of " + view);
            await(redis.send(Request.cmd(Command.SET).arg(key(view, "state")).arg(next.toText())), "publishing " + view,
                    settings.writeTimeoutMs());
            states.put(view, new Cached(next, System.nanoTime()));
            published = true;
            if (previous != null) {
                Set<Long> kept = new HashSet<>();
                next.layers().forEach(l -> kept.add(l.id()));
                List<Request> retire = new ArrayList<>();
                for (OnlineView.Layer old : previous.layers()) {
                    if (!kept.contains(old.id())) {
                        for (int bucket = 0; bucket < old.buckets(); bucket++) {
                            retire.add(settings.graceSeconds() > 0
                                    ? Request.cmd(Command.EXPIRE).arg(bucketKey(view, old.id(), bucket))
                                    .arg(settings.graceSeconds())
                                    : Request.cmd(Command.UNLINK).arg(bucketKey(view, old.id(), bucket)));
                        }
                    }
                }
                try {
                    write(retire, "retiring old layers of " + view);
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
                    unlink.add(Request.cmd(Command.UNLINK).arg(bucketKey(view, layer, bucket)));
                }
                try {
                    write(unlink, "discarding an unpublished run of " + view);
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

    private OnlineView fresh(String view) {
        states.remove(view);
        return view(view).orElse(null);
    }

    @Override
    public List<Object[]> read(OnlineView state, List<String> keys) {
        try {
            return readAsync(state, keys).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @Override
    public CompletionStage<List<Object[]>> readAsync(OnlineView state, List<String> keys) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<OnlineView.Layer> layers = state.layers();
        List<Request> requests = new ArrayList<>();
        // per request: which keys (by index) it asked for
        List<int[]> asked = new ArrayList<>();
        for (OnlineView.Layer layer : layers) {
            Map<Integer, List<Integer>> byBucket = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i) != null) {
                    byBucket.computeIfAbsent(bucket(keys.get(i), layer.buckets()), b -> new ArrayList<>()).add(i);
                }
            }
            for (Map.Entry<Integer, List<Integer>> entry : byBucket.entrySet()) {
                Request hmget = Request.cmd(Command.HMGET).arg(bucketKey(state.view(), layer.id(), entry.getKey()));
                entry.getValue().forEach(i -> hmget.arg(keys.get(i)));
                requests.add(hmget);
                asked.add(entry.getValue().stream().mapToInt(Integer::intValue).toArray());
            }
        }
        String what = "reading " + state.view();
        return sendOnReader(requests).toCompletionStage().toCompletableFuture()
                .orTimeout(settings.timeoutMs(), TimeUnit.MILLISECONDS)
                .handle((responses, failure) -> {
                    if (failure != null) {
                        throw failure(failure instanceof CompletionException ? failure.getCause() : failure, what,
                                settings.timeoutMs());
                    }
                    return decode(responses, asked, keys.size());
                });
    }

    private static List<Object[]> decode(List<Response> responses, List<int[]> asked, int count) {
        byte[][] found = new byte[count][];
        for (int r = 0; r < responses.size(); r++) {
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
                requests.add(Request.cmd(Command.HRANDFIELD).arg(bucketKey(state.view(), layer.id(), bucket))
                        .arg(perBucket));
            }
        }
        List<String> all = new ArrayList<>();
        for (Response fields : execute(requests, "sampling keys of " + state.view())) {
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
        OnlineView state = fresh(view);
        List<Request> requests = new ArrayList<>();
        if (state != null) {
            for (OnlineView.Layer layer : state.layers()) {
                for (int bucket = 0; bucket < layer.buckets(); bucket++) {
                    requests.add(Request.cmd(Command.UNLINK).arg(bucketKey(view, layer.id(), bucket)));
                }
            }
        }
        requests.add(Request.cmd(Command.DEL).arg(key(view, "state")));
        requests.add(Request.cmd(Command.DEL).arg(key(view, "stream:entities")));
        requests.add(Request.cmd(Command.DEL).arg(key(view, "stream:offsets")));
        write(requests, "dropping " + view);
        states.remove(view);
    }

    @Override
    public StreamState streams() {
        if (settings.cluster()) {
            throw new NotSupportedException("redis", "stream state on Redis Cluster (a commit spans keys in several"
                    + " slots)");
        }
        return new StreamState() {
            @Override
            public Map<Integer, Long> offsets(String view) {
                Response all = await(redis.send(Request.cmd(Command.HGETALL).arg(key(view, "stream:offsets"))),
                        "reading the stream offsets of " + view, settings.writeTimeoutMs());
                Map<Integer, Long> offsets = new HashMap<>();
                if (all != null) {
                    for (String field : all.getKeys()) {
                        offsets.put(Integer.parseInt(field), all.get(field).toLong());
                    }
                }
                return offsets;
            }

            @Override
            public void forEachEntity(String view, BiConsumer<String, byte[]> consumer) {
                String cursor = "0";
                do {
                    Response page = await(redis.send(Request.cmd(Command.HSCAN).arg(key(view, "stream:entities"))
                            .arg(cursor).arg("COUNT").arg(1000)), "reading the stream state of " + view,
                            settings.writeTimeoutMs());
                    cursor = page.get(0).toString();
                    Response fields = page.get(1);
                    for (int i = 0; i + 1 < fields.size(); i += 2) {
                        consumer.accept(fields.get(i).toString(StandardCharsets.UTF_8), fields.get(i + 1).toBytes());
                    }
                } while (!cursor.equals("0"));
            }

            @Override
            public OnlineView commit(String view, StreamCommit commit) {
                OnlineView previous = view(view).orElse(null);
                OnlineView next = OnlineView.streamed(view, previous, commit.publication(), settings.buckets(),
                        commit.totalRows(), Instant.now());
                List<Request> tx = new ArrayList<>();
                tx.add(Request.cmd(Command.MULTI));
                Map<Integer, Request> byBucket = new LinkedHashMap<>();
                commit.rows().forEach((entity, values) -> byBucket.computeIfAbsent(bucket(entity, settings.buckets()),
                        b -> Request.cmd(Command.HSET).arg(bucketKey(view, StreamState.STREAM_LAYER, b)))
                        .arg(entity).arg(Buffer.buffer(OnlineValues.encode(values))));
                tx.addAll(byBucket.values());
                if (!commit.entities().isEmpty()) {
                    Request entities = Request.cmd(Command.HSET).arg(key(view, "stream:entities"));
                    commit.entities().forEach((entity, state) -> entities.arg(entity).arg(Buffer.buffer(state)));
                    tx.add(entities);
                }
                if (!commit.offsets().isEmpty()) {
                    Request offsets = Request.cmd(Command.HSET).arg(key(view, "stream:offsets"));
                    commit.offsets().forEach((partition, offset) -> offsets.arg(partition).arg(offset));
                    tx.add(offsets);
                }
                tx.add(Request.cmd(Command.SET).arg(key(view, "state")).arg(next.toText()));
                tx.add(Request.cmd(Command.EXEC));
                List<Response> answers = await(redis.batch(tx), "committing a stream batch of " + view,
                        settings.writeTimeoutMs());
                if (answers.get(answers.size() - 1) == null) {
                    throw new PluginException("Redis aborted the stream commit of " + view);
                }
                states.put(view, new Cached(next, System.nanoTime()));
                if (previous != null) {
                    List<Request> retire = new ArrayList<>();
                    for (OnlineView.Layer old : previous.layers()) {
                        if (old.id() != StreamState.STREAM_LAYER) {
                            for (int bucket = 0; bucket < old.buckets(); bucket++) {
                                retire.add(Request.cmd(Command.EXPIRE).arg(bucketKey(view, old.id(), bucket))
                                        .arg(Math.max(1, settings.graceSeconds())));
                            }
                        }
                    }
                    write(retire, "retiring the batch layers of " + view);
                }
                return next;
            }
        };
    }

    /**
     * Reads go over a few long-lived connections, each pipelining whatever is sent on it, rather than through the
     * pool, which takes and returns a connection per call. A connection that fails is dropped and opened again by the
     * next read, so reads recover by themselves once Redis is back.
     */
    private Future<List<Response>> sendOnReader(List<Request> requests) {
        int slot = Math.floorMod(nextReader.getAndIncrement(), readers.length());
        Future<RedisConnection> connection = readers.get(slot);
        if (connection == null || connection.failed()) {
            Future<RedisConnection> fresh = redis.connect();
            if (readers.compareAndSet(slot, connection, fresh)) {
                fresh.onSuccess(c -> {
                    c.exceptionHandler(e -> readers.compareAndSet(slot, fresh, null));
                    c.endHandler(v -> readers.compareAndSet(slot, fresh, null));
                });
                connection = fresh;
            } else {
                connection = readers.get(slot);
                if (connection == null) {
                    connection = fresh;
                }
            }
        }
        Future<RedisConnection> used = connection;
        return used.compose(c -> {
            if (requests.size() == 1) {
                return c.send(requests.get(0)).map(r -> {
                    List<Response> one = new ArrayList<>(1);
                    one.add(r);
                    return one;
                });
            }
            if (!settings.cluster()) {
                return c.batch(requests);
            }
            List<Future<Response>> futures = new ArrayList<>(requests.size());
            requests.forEach(r -> futures.add(c.send(r)));
            return Future.all(futures).map(all -> {
                List<Response> responses = new ArrayList<>(futures.size());
                futures.forEach(f -> responses.add(f.result()));
                return responses;
            });
        }).onFailure(e -> {
            if (!(e instanceof Response)) {
                readers.compareAndSet(slot, used, null);
            }
        });
    }

    /** The requests pipelined (in cluster mode, each to its own node, all at once), not waited for. */
    private Future<List<Response>> sendAll(List<Request> requests) {
        if (requests.size() == 1) {
            return redis.send(requests.get(0)).map(r -> {
                List<Response> one = new ArrayList<>(1);
                one.add(r);
                return one;
            });
        }
        if (!settings.cluster()) {
            return redis.batch(requests);
        }
        List<Future<Response>> futures = new ArrayList<>(requests.size());
        requests.forEach(r -> futures.add(redis.send(r)));
        return Future.all(futures).map(all -> {
            List<Response> responses = new ArrayList<>(futures.size());
            futures.forEach(f -> responses.add(f.result()));
            return responses;
        });
    }

    /** What a failed or timed-out call is reported as. */
    private RuntimeException failure(Throwable cause, String what, int timeoutMs) {
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return new OnlineStoreUnavailableException("Redis (" + String.join(", ", settings.endpoints())
                    + ") did not answer within " + timeoutMs + " ms while " + what, cause);
        }
        if (cause instanceof Response) {
            return new PluginException("Redis refused a command while " + what + ": " + cause.getMessage(), cause);
        }
        return new OnlineStoreUnavailableException("Redis (" + String.join(", ", settings.endpoints())
                + ") cannot be reached while " + what + ": " + cause, cause);
    }

    /** Sends the requests pipelined (in cluster mode, each to its own node, all at once) and waits for all. */
    private List<Response> execute(List<Request> requests, String what) {
        return execute(requests, what, settings.timeoutMs());
    }

    /** Writes of a run wait longer than reads: a run's batches are large, and nobody waits on them online. */
    private List<Response> write(List<Request> requests, String what) {
        return execute(requests, what, settings.writeTimeoutMs());
    }

    private List<Response> execute(List<Request> requests, String what, int timeoutMs) {
        if (requests.isEmpty()) {
            return List.of();
        }
        if (requests.size() == 1) {
            List<Response> one = new ArrayList<>(1);
            one.add(await(redis.send(requests.get(0)), what, timeoutMs));
            return one;
        }
        if (!settings.cluster()) {
            return await(redis.batch(requests), what, timeoutMs);
        }
        List<Future<Response>> futures = new ArrayList<>(requests.size());
        requests.forEach(r -> futures.add(redis.send(r)));
        await(Future.all(futures), what, timeoutMs);
        List<Response> responses = new ArrayList<>(futures.size());
        futures.forEach(f -> responses.add(f.result()));
        return responses;
    }

    private <T> T await(Future<T> future, String what) {
        return await(future, what, settings.timeoutMs());
    }

    private <T> T await(Future<T> future, String what, int timeoutMs) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new OnlineStoreUnavailableException("Redis (" + String.join(", ", settings.endpoints())
                    + ") did not answer within " + timeoutMs + " ms while " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof Response) {
                throw new PluginException("Redis refused a command while " + what + ": " + cause.getMessage(), cause);
            }
            throw new OnlineStoreUnavailableException("Redis (" + String.join(", ", settings.endpoints())
                    + ") cannot be reached while " + what + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OnlineStoreUnavailableException("interrupted while " + what, e);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < readers.length(); i++) {
            Future<RedisConnection> connection = readers.getAndSet(i, null);
            if (connection != null && connection.succeeded()) {
                connection.result().close();
            }
        }
        try {
            redis.close();
        } finally {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the event loop threads are daemons
            }
        }
    }

    @Override
    public String toString() {
        return "Redis online store at " + String.join(", ", settings.endpoints()) + " (prefix " + settings.keyPrefix()
                + ")";
    }
}
