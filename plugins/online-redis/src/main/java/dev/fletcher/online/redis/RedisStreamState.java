package dev.fletcher.online.redis;

import dev.fletcher.online.redis.RedisOnlineStoreFactory.RedisSettings;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.online.OnlineValues;
import dev.fletcher.spi.online.OnlineView;
import dev.fletcher.spi.online.StreamCommit;
import dev.fletcher.spi.online.StreamState;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A stream-fed view's offsets and entity states beside its stream layer. A commit writes rows, states, offsets and the
 * view's state in one MULTI/EXEC, which spans several keys: standalone Redis only.
 */
record RedisStreamState(RedisTransport transport, RedisKeys keys, PublishedStates states, RedisSettings settings)
        implements StreamState {
    @Override
    public Map<Integer, Long> offsets(String view) {
        Response all = transport.send(Request.cmd(Command.HGETALL).arg(keys.streamOffsets(view)),
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
            Response page = transport.send(Request.cmd(Command.HSCAN).arg(keys.streamEntities(view))
                    .arg(cursor).arg("COUNT").arg(1000), "reading the stream state of " + view,
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
        OnlineView previous = states.view(view).orElse(null);
        OnlineView next = OnlineView.streamed(view, previous, commit.publication(), settings.buckets(),
                commit.totalRows(), Instant.now());
        List<Request> tx = new ArrayList<>();
        tx.add(Request.cmd(Command.MULTI));
        Map<Integer, Request> byBucket = new LinkedHashMap<>();
        commit.rows().forEach((entity, values) -> byBucket.computeIfAbsent(RedisKeys.bucket(entity, settings.buckets()),
                b -> Request.cmd(Command.HSET).arg(keys.bucketKey(view, STREAM_LAYER, b)))
                .arg(entity).arg(Buffer.buffer(OnlineValues.encode(values))));
        tx.addAll(byBucket.values());
        if (!commit.entities().isEmpty()) {
            Request entities = Request.cmd(Command.HSET).arg(keys.streamEntities(view));
            commit.entities().forEach((entity, state) -> entities.arg(entity).arg(Buffer.buffer(state)));
            tx.add(entities);
        }
        if (!commit.offsets().isEmpty()) {
            Request offsets = Request.cmd(Command.HSET).arg(keys.streamOffsets(view));
            commit.offsets().forEach((partition, offset) -> offsets.arg(partition).arg(offset));
            tx.add(offsets);
        }
        tx.add(Request.cmd(Command.SET).arg(keys.state(view)).arg(next.toText()));
        tx.add(Request.cmd(Command.EXEC));
        List<Response> answers = transport.transaction(tx, "committing a stream batch of " + view,
                settings.writeTimeoutMs());
        if (answers.get(answers.size() - 1) == null) {
            throw new PluginException("Redis aborted the stream commit of " + view);
        }
        states.remember(view, next);
        if (previous != null) {
            List<Request> retire = new ArrayList<>();
            for (OnlineView.Layer old : previous.layers()) {
                if (old.id() != STREAM_LAYER) {
                    for (int bucket = 0; bucket < old.buckets(); bucket++) {
                        retire.add(Request.cmd(Command.EXPIRE).arg(keys.bucketKey(view, old.id(), bucket))
                                .arg(Math.max(1, settings.graceSeconds())));
                    }
                }
            }
            transport.write(retire, "retiring the batch layers of " + view);
        }
        return next;
    }
}
