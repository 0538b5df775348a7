package dev.fletcher.online.embedded;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineStoreFactory;
import java.nio.file.Path;

/**
 * {@code fletcher.online.plugin=embedded}: one MVStore file, {@code path} (default {@code <data-dir>/online/online.mv.db}).
 */
public class EmbeddedOnlineStoreFactory implements OnlineStoreFactory {
    @Override
    public String name() {
        return "embedded";
    }

    /** In process, with its file in the data directory: a store that needs nothing set up. */
    @Override
    public boolean isDefault() {
        return true;
    }

    @Override
    public OnlineStore create(PluginConfig config) {
        Path path = config.get("path").map(Path::of)
                .orElse(config.dataDir().resolve("online").resolve("online.mv.db"));
        return new EmbeddedOnlineStore(path, config.getInt("commit-every-rows", 50_000),
                config.getInt("grace-seconds", 60));
    }
}
