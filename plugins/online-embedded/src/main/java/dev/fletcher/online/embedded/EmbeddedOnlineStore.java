package dev.fletcher.online.embedded;

import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineValues;
import dev.fletcher.spi.online.OnlineView;
import dev.fletcher.spi.online.OnlineWriter;
import dev.fletcher.spi.online.Publication;
import dev.fletcher.spi.online.StreamCommit;
import dev.fletcher.spi.online.StreamState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * The online store in one MVStore file. Map {@code views} holds each view's state ({@link OnlineView#toText}); each
 * layer is a map {@code layer.<view>.<id>} from key to the encoded row ({@link OnlineValues}); a stream-fed view
 * keeps {@code stream.<view>.entities} and {@code stream.<view>.offsets} beside its stream layer. Nothing reaches the file but
 * by an explicit commit: a layer's rows are committed as they come (unreferenced, so harmless), and the view's new
 * state in one last commit. Layers no state refers to (a run that died, or superseded ones) are removed at open,
 * and superseded ones also a grace period after the switch, so reads that began on the old state finish.
 */
final class EmbeddedOnlineStore implements OnlineStore {
    static final String VIEWS = "views";
    static final String COUNTERS = "counters";
    static final String LAYER_PREFIX = "layer.";

    private final Path path;
    private final int commitEveryRows;
    private final int graceSeconds;
    private final MVStore store;
    private final MVMap<String, String> views;
    private final MVMap<String, Long> counters;
    private final Map<String, MVMap<String, byte[]>> layers = new ConcurrentHashMap<>();
    private final Map<String, OnlineView> states = new ConcurrentHashMap<>();
    /** Commits and state switches happen one at a time, so a commit never carries half of another's change. */
    private final ReentrantLock commits = new ReentrantLock();
    private final ScheduledExecutorService cleaner;

    EmbeddedOnlineStore(Path path, int commitEveryRows, int graceSeconds) {
        this.path = path;
        this.commitEveryRows = commitEveryRows;
        this.graceSeconds = graceSeconds;
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            this.store = new MVStore.Builder().fileName(path.toString()).autoCommitDisabled().open();
        } catch (IOException | MVStoreException e) {
            throw new PluginException("cannot open the embedded online store at " + path + ": " + e.getMessage(), e);
        }
        this.views = store.openMap(VIEWS);
        this.counters = store.openMap(COUNTERS);
        views.forEach((view, text) -> states.put(view, OnlineView.fromText(text)));
        removeUnreferencedLayers();
        this.cleaner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "online-embedded-cleaner");
            thread.setDaemon(true);
            return thread;
        });
    }

    private void removeUnreferencedLayers() {
        Set<String> referenced = new HashSet<>();
        states.values().forEach(s -> s.layers().forEach(l -> referenced.add(layerName(s.view(), l.id()))));
        boolean removed = false;
        for (String name : new ArrayList<>(store.getMapNames())) {
            if (name.startsWith(LAYER_PREFIX) && !referenced.contains(name)) {
                store.removeMap(name);
                removed = true;
            }
        }
        if (removed) {
            store.commit();
        }
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public Optional<OnlineView> view(String view) {
        return Optional.ofNullable(states.get(view));
    }

    @Override
    public OnlineWriter begin(String view, boolean replace) {
        long id;
        commits.lock();
        try {
            id = counters.getOrDefault("next_layer", 1L);
            counters.put("next_layer", id + 1);
            store.commit();
        } finally {
            commits.unlock();
        }
        return new Writer(view, replace, id, store.openMap(layerName(view, id)));
    }

    private final class Writer implements OnlineWriter {
        private final String view;
        private final boolean replace;
        private final long id;
        private final MVMap<String, byte[]> map;
        private long rows;
        private boolean published;

        Writer(String view, boolean replace, long id, MVMap<String, byte[]> map) {
            this.view = view;
            this.replace = replace;
            this.id = id;
            this.map = map;
        }

        @Override
        public void put(String key, Object[] values) {
            if (map.put(key, OnlineValues.encode(values)) == null) {
                rows++;
            }
            if (rows % commitEveryRows == 0) {
                commit();
            }
        }

        @Override
        public long rows() {
            return rows;
        }

        @Override
        public OnlineView publish(Publication publication) {
            commits.lock();
            try {
                OnlineView previous = states.get(view);
                Instant now = Instant.now();
                OnlineView next = OnlineView.next(view, previous, replace, publication,
                        new OnlineView.Layer(id, 0, rows, now), now);
                views.put(view, next.toText());
                store.commit();
                states.put(view, next);
                layers.put(layerName(view, id), map);
                published = true;
                if (previous != null) {
                    Set<Long> kept = new HashSet<>();
                    next.layers().forEach(l -> kept.add(l.id()));
                    previous.layers().stream().map(OnlineView.Layer::id).filter(l -> !kept.contains(l))
                            .forEach(l -> removeLater(view, l));
                }
                if (next.layers().stream().noneMatch(l -> l.id() == id)) {
                    // an empty incremental layer adds nothing and is not kept
                    removeLater(view, id);
                }
                return next;
            } finally {
                commits.unlock();
            }
        }

        @Override
        public void close() {
            if (!published) {
                commits.lock();
                try {
                    store.removeMap(map);
                    store.commit();
                } finally {
                    commits.unlock();
                }
            }
        }
    }

    private void commit() {
        commits.lock();
        try {
            store.commit();
        } finally {
            commits.unlock();
        }
    }

    static String layerName(String view, long id) {
        return LAYER_PREFIX + view + "." + id;
    }

    private void removeLater(String view, long layer) {
        if (graceSeconds <= 0) {
            removeLayer(view, layer);
        } else {
            cleaner.schedule(() -> removeLayer(view, layer), graceSeconds, TimeUnit.SECONDS);
        }
    }

    private void removeLayer(String view, long layer) {
        commits.lock();
        try {
            if (store.isClosed()) {
                return;
            }
            String name = layerName(view, layer);
            layers.remove(name);
            if (store.hasMap(name)) {
                store.removeMap(name);
                store.commit();
            }
        } finally {
            commits.unlock();
        }
    }

    private MVMap<String, byte[]> layer(String view, long id) {
        return layers.computeIfAbsent(layerName(view, id), store::openMap);
    }

    @Override
    public List<Object[]> read(OnlineView state, List<String> keys) {
        Instant now = Instant.now();
        List<MVMap<String, byte[]>> live = new ArrayList<>();
        for (OnlineView.Layer layer : state.layers()) {
            if (!state.expired(layer, now)) {
                live.add(layer(state.view(), layer.id()));
            }
        }
        List<Object[]> rows = new ArrayList<>(keys.size());
        for (String key : keys) {
            byte[] found = null;
            for (int i = 0; i < live.size() && found == null; i++) {
                found = live.get(i).get(key);
            }
            rows.add(found == null ? null : OnlineValues.decode(found));
        }
        return rows;
    }

    @Override
    public List<String> sampleKeys(OnlineView state, int count) {
        Instant now = Instant.now();
        Set<String> sample = new LinkedHashSet<>();
        List<MVMap<String, byte[]>> live = new ArrayList<>();
        long total = 0;
        for (OnlineView.Layer layer : state.layers()) {
            if (!state.expired(layer, now)) {
                MVMap<String, byte[]> map = layer(state.view(), layer.id());
                live.add(map);
                total += map.sizeAsLong();
            }
        }
        if (total <= count) {
            live.forEach(map -> map.keySet().forEach(sample::add));
            return new ArrayList<>(sample);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tries = 0; sample.size() < count && tries < count * 4; tries++) {
            long index = random.nextLong(total);
            for (MVMap<String, byte[]> map : live) {
                if (index < map.sizeAsLong()) {
                    sample.add(map.getKey(index));
                    break;
                }
                index -= map.sizeAsLong();
            }
        }
        return new ArrayList<>(sample);
    }

    @Override
    public void drop(String view) {
        commits.lock();
        try {
            OnlineView state = states.remove(view);
            views.remove(view);
            store.commit();
            if (state != null) {
                state.layers().forEach(l -> removeLayer(view, l.id()));
            }
            for (String map : List.of(streamMap(view, "entities"), streamMap(view, "offsets"),
                    layerName(view, StreamState.STREAM_LAYER))) {
                if (store.hasMap(map)) {
                    layers.remove(map);
                    store.removeMap(map);
                }
            }
            store.commit();
        } finally {
            commits.unlock();
        }
    }

    static String streamMap(String view, String part) {
        return "stream." + view + "." + part;
    }

    @Override
    public StreamState streams() {
        return new StreamState() {
            @Override
            public Map<Integer, Long> offsets(String view) {
                return new HashMap<>(store.<Integer, Long>openMap(streamMap(view, "offsets")));
            }

            @Override
            public void forEachEntity(String view, BiConsumer<String, byte[]> consumer) {
                store.<String, byte[]>openMap(streamMap(view, "entities")).forEach(consumer);
            }

            @Override
            public OnlineView commit(String view, StreamCommit commit) {
                commits.lock();
                try {
                    OnlineView previous = states.get(view);
                    MVMap<String, byte[]> rows = layer(view, StreamState.STREAM_LAYER);
                    commit.rows().forEach((key, values) -> rows.put(key, OnlineValues.encode(values)));
                    store.<String, byte[]>openMap(streamMap(view, "entities")).putAll(commit.entities());
                    store.<Integer, Long>openMap(streamMap(view, "offsets")).putAll(commit.offsets());
                    OnlineView next = OnlineView.streamed(view, previous, commit.publication(), 0, commit.totalRows(),
                            Instant.now());
                    views.put(view, next.toText());
                    store.commit();
                    states.put(view, next);
                    if (previous != null) {
                        previous.layers().stream().map(OnlineView.Layer::id)
                                .filter(id -> id != StreamState.STREAM_LAYER).forEach(id -> removeLater(view, id));
                    }
                    return next;
                } finally {
                    commits.unlock();
                }
            }
        };
    }

    @Override
    public void close() {
        cleaner.shutdownNow();
        commits.lock();
        try {
            if (!store.isClosed()) {
                store.close();
            }
        } finally {
            commits.unlock();
        }
    }

    @Override
    public String toString() {
        return "embedded online store at " + path;
    }
}
