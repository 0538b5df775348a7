package dev.fletcher.online.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.conformance.online.OnlineStoreConformanceTest;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineView;
import dev.fletcher.spi.online.OnlineWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedOnlineStoreTest extends OnlineStoreConformanceTest {
    @TempDir
    static Path dir;

    @Override
    protected OnlineStore open() {
        return new EmbeddedOnlineStoreFactory().create(new PluginConfig("online", Map.of("grace-seconds", "0"), dir));
    }

    @Test
    void aRunThatDiedLeavesNoLayerBehindAfterTheNextOpen() {
        String view = newView();
        OnlineView first = publish(view, true, publication(AS_OF, null), List.of(key("c1")), rows(row(1L, null, null,
                null, null, null, null)));
        OnlineWriter dying = store.begin(view, true);
        dying.put(key("c2"), row(2L, null, null, null, null, null, null));
        // the process dies here: the writer is never closed; its rows were committed unreferenced
        ((EmbeddedOnlineStore) store).close();
        Path file = dir.resolve("online").resolve("online.mv.db");
        store = open();
        assertThat(store.view(view)).contains(first);
        store.close();
        MVStore raw = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            assertThat(raw.getMapNames()).filteredOn(n -> n.startsWith(EmbeddedOnlineStore.LAYER_PREFIX))
                    .containsExactly(EmbeddedOnlineStore.layerName(view, first.layers().get(0).id()));
        } finally {
            raw.close();
        }
        store = open();
    }
}
