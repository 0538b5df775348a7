package dev.fletcher.online.redis;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineStoreFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code fletcher.online.plugin=redis}: Redis, or Redis Cluster with {@code type=cluster}. */
public class RedisOnlineStoreFactory implements OnlineStoreFactory {
    public static final String DEFAULT_URL = "redis://127.0.0.1:6379";

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public OnlineStore create(PluginConfig config) {
        String type = config.get("type").orElse("standalone").trim().toLowerCase(Locale.ROOT);
        if (!type.equals("standalone") && !type.equals("cluster")) {
            throw new PluginException("fletcher.online.redis.type must be standalone or cluster, got '" + type + "'");
        }
        List<String> endpoints = Arrays.stream(config.get("url").orElse(DEFAULT_URL).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String endpoint : endpoints) {
            if (!endpoint.startsWith("redis://") && !endpoint.startsWith("rediss://")) {
                throw new PluginException("fletcher.online.redis.url must be redis://host:port (or rediss:// for TLS;"
                        + " several, comma-separated, for a cluster), got '" + endpoint + "'");
            }
        }
        RedisSettings settings = new RedisSettings(endpoints, type.equals("cluster"),
                config.get("key-prefix").orElse("fletcher:"),
                config.getInt("timeout-ms", 1000),
                config.getInt("write-timeout-ms", 30_000),
                config.getInt("pool-size", 16),
                config.getInt("buckets", 256),
                config.getInt("state-refresh-ms", 1000),
                config.getInt("pending-expiry-seconds", 86_400),
                config.getInt("grace-seconds", 60),
                config.getInt("event-loops", 2));
        return new RedisOnlineStore(config.instanceName(), settings);
    }

    /** The plugin's settings, with their defaults applied. */
    record RedisSettings(List<String> endpoints, boolean cluster, String keyPrefix, int timeoutMs, int writeTimeoutMs,
            int poolSize,
            int buckets, int stateRefreshMs, int pendingExpirySeconds, int graceSeconds, int eventLoops) {
        RedisSettings {
            if (buckets < 1 || buckets > 65_536) {
                throw new PluginException("fletcher.online.redis.buckets must be between 1 and 65536, got " + buckets);
            }
            if (timeoutMs < 1) {
                throw new PluginException("fletcher.online.redis.timeout-ms must be positive, got " + timeoutMs);
            }
        }
    }
}
