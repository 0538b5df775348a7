package dev.fletcher.online.redis;

import dev.fletcher.spi.online.OnlineView;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Each view's published state as last read from its state key. Kept for a short while so that reads need not fetch
 * it each time; runs published by other servers show up once that time has passed.
 */
final class PublishedStates {
    private final RedisTransport transport;
    private final RedisKeys keys;
    private final int timeoutMs;
    private final long refreshNanos;
    private final Map<String, Cached> states = new ConcurrentHashMap<>();

    private record Cached(OnlineView state, long fetchedAt) {
    }

    PublishedStates(RedisTransport transport, RedisKeys keys, int timeoutMs, int refreshMs) {
        this.transport = transport;
        this.keys = keys;
        this.timeoutMs = timeoutMs;
        this.refreshNanos = TimeUnit.MILLISECONDS.toNanos(refreshMs);
    }

    /** The cached state while it is recent enough, otherwise what Redis holds now. */
    Optional<OnlineView> view(String view) {
        Cached cached = states.get(view);
        long now = System.nanoTime();
        if (cached != null && now - cached.fetchedAt < refreshNanos) {
            return Optional.ofNullable(cached.state);
        }
        Response text = transport.send(Request.cmd(Command.GET).arg(keys.state(view)), "reading the state of " + view,
                timeoutMs);
        OnlineView state = text == null ? null : OnlineView.fromText(text.toString(StandardCharsets.UTF_8));
        states.put(view, new Cached(state, now));
        return Optional.ofNullable(state);
    }

    /** As {@link #view}, answered on the client's thread when Redis must be asked. */
    CompletionStage<Optional<OnlineView>> viewAsync(String view) {
        Cached cached = states.get(view);
        long now = System.nanoTime();
        if (cached != null && now - cached.fetchedAt < refreshNanos) {
            return CompletableFuture.completedFuture(Optional.ofNullable(cached.state));
        }
        return transport.read(List.of(Request.cmd(Command.GET).arg(keys.state(view))), "reading the state of " + view,
                responses -> {
                    Response text = responses.get(0);
                    OnlineView state = text == null ? null : OnlineView.fromText(text.toString(StandardCharsets.UTF_8));
                    states.put(view, new Cached(state, now));
                    return Optional.ofNullable(state);
                });
    }

    /** What Redis holds now, for changes that must start from the newest state. */
    OnlineView fresh(String view) {
        states.remove(view);
        return view(view).orElse(null);
    }

    /** A state this server just wrote, so its own reads see it at once. */
    void remember(String view, OnlineView state) {
        states.put(view, new Cached(state, System.nanoTime()));
    }

    void forget(String view) {
        states.remove(view);
    }
}
