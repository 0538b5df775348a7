package dev.fletcher.online.redis;

import dev.fletcher.online.redis.RedisOnlineStoreFactory.RedisSettings;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.online.OnlineStoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * How commands reach Redis and how its failures reach the caller: waited-for commands go through the client's pool,
 * online reads over a few long-lived pipelined connections, and every failure becomes the SPI's exception.
 */
final class RedisTransport implements AutoCloseable {
    private final RedisSettings settings;
    private final Vertx vertx;
    private final Redis redis;
    private final AtomicReferenceArray<Future<RedisConnection>> readers;
    private final AtomicInteger nextReader = new AtomicInteger();

    RedisTransport(RedisSettings settings) {
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

    /** One command, waited for. */
    Response send(Request request, String what, int timeoutMs) {
        return await(redis.send(request), what, timeoutMs);
    }

    /** The requests pipelined (in cluster mode, each to its own node, all at once), waited for together. */
    List<Response> send(List<Request> requests, String what, int timeoutMs) {
        if (requests.isEmpty()) {
            return List.of();
        }
        return await(fanOut(requests, redis::send, redis::batch), what, timeoutMs);
    }

    /** Writes of a run wait longer than reads: a run's batches are large, and nobody waits on them online. */
    List<Response> write(List<Request> requests, String what) {
        return send(requests, what, settings.writeTimeoutMs());
    }

    /** The requests in order on one connection, as MULTI ... EXEC needs (so standalone only). */
    List<Response> transaction(List<Request> requests, String what, int timeoutMs) {
        return await(redis.batch(requests), what, timeoutMs);
    }

    /**
     * The requests sent on a reader connection, answered on the client's thread without holding the caller's; the
     * read timeout applies.
     */
    <T> CompletableFuture<T> read(List<Request> requests, String what, Function<List<Response>, T> answer) {
        return sendOnReader(requests).toCompletionStage().toCompletableFuture()
                .orTimeout(settings.timeoutMs(), TimeUnit.MILLISECONDS)
                .handle((responses, failure) -> {
                    if (failure != null) {
                        throw failure(settings.endpoints(), failure instanceof CompletionException
                                ? failure.getCause() : failure, what, settings.timeoutMs());
                    }
                    return answer.apply(responses);
                });
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
        return used.compose(c -> fanOut(requests, c::send, c::batch)).onFailure(e -> {
            if (!(e instanceof Response)) {
                readers.compareAndSet(slot, used, null);
            }
        });
    }

    /**
     * The requests pipelined through the pool or one connection, not waited for. A cluster batch must keep to one hash
     * slot, so in cluster mode each request goes alone, to its own node, all at once.
     */
    private Future<List<Response>> fanOut(List<Request> requests, Function<Request, Future<Response>> send,
            Function<List<Request>, Future<List<Response>>> batch) {
        if (requests.size() == 1) {
            return send.apply(requests.get(0)).map(r -> {
                List<Response> one = new ArrayList<>(1);
                one.add(r);
                return one;
            });
        }
        if (!settings.cluster()) {
            return batch.apply(requests);
        }
        List<Future<Response>> futures = new ArrayList<>(requests.size());
        requests.forEach(r -> futures.add(send.apply(r)));
        return Future.all(futures).map(all -> {
            List<Response> responses = new ArrayList<>(futures.size());
            futures.forEach(f -> responses.add(f.result()));
            return responses;
        });
    }

    private <T> T await(Future<T> future, String what, int timeoutMs) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw failure(settings.endpoints(), e, what, timeoutMs);
        } catch (ExecutionException e) {
            throw failure(settings.endpoints(), e.getCause() == null ? e : e.getCause(), what, timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OnlineStoreUnavailableException("interrupted while " + what, e);
        }
    }

    /**
     * What a failed or timed-out call is reported as: a refused command is the caller's problem, anything else means
     * Redis is out of reach for now.
     */
    static RuntimeException failure(List<String> endpoints, Throwable cause, String what, int timeoutMs) {
        if (cause instanceof TimeoutException) {
            return new OnlineStoreUnavailableException("Redis (" + String.join(", ", endpoints)
                    + ") did not answer within " + timeoutMs + " ms while " + what, cause);
        }
        if (cause instanceof Response) {
            return new PluginException("Redis refused a command while " + what + ": " + cause.getMessage(), cause);
        }
        return new OnlineStoreUnavailableException("Redis (" + String.join(", ", endpoints)
                + ") cannot be reached while " + what + ": " + cause, cause);
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
}
