package dev.fletcher.conformance.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.spi.online.OnlineKeys;
import dev.fletcher.spi.online.OnlineStore;
import dev.fletcher.spi.online.OnlineView;
import dev.fletcher.spi.online.OnlineWriter;
import dev.fletcher.spi.online.Publication;
import dev.fletcher.spi.online.StreamCommit;
import dev.fletcher.spi.online.StreamState;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every online store plugin must do. A plugin's test extends this and opens its store on a real backend;
 * {@link #open()} is called again to check that state survives a new store instance (a restart).
 */
public abstract class OnlineStoreConformanceTest {
    protected static final Instant AS_OF = Instant.parse("2026-03-01T12:00:00Z");
    private static final List<String> FEATURES = List.of("plan", "limit", "score", "active", "seen_at", "day", "amount");

    protected OnlineStore store;
    private final List<String> views = new ArrayList<>();

    /** A new store instance on the plugin's test backend, the same one every call. */
    protected abstract OnlineStore open();

    /** Whether this configuration keeps stream state; one that does not must declare it with NotSupportedException. */
    protected boolean supportsStreams() {
        return true;
    }

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void cleanUp() {
        try {
            views.forEach(store::drop);
        } finally {
            store.close();
        }
    }

    /** A view name of this test alone, dropped afterwards. */
    protected String newView() {
        String name = "cf_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        views.add(name);
        return name;
    }

    protected static Publication publication(Instant asOf, Long ttl) {
        return new Publication(asOf, FEATURES, List.of("customer_id"), List.of("STRING"), "fp-1", ttl);
    }

    protected static Object[] row(Object... values) {
        return values;
    }

    protected static List<Object[]> rows(Object[]... rows) {
        return new ArrayList<>(Arrays.asList(rows));
    }

    protected static String key(Object... parts) {
        return OnlineKeys.encode(Arrays.asList(parts));
    }

    protected OnlineView publish(String view, boolean replace, Publication publication, List<String> keys,
            List<Object[]> rows) {
        try (OnlineWriter writer = store.begin(view, replace)) {
            for (int i = 0; i < keys.size(); i++) {
                writer.put(keys.get(i), rows.get(i));
            }
            assertThat(writer.rows()).isEqualTo(keys.size());
            return writer.publish(publication);
        }
    }

    private static final Object[] C1 = row("pro", 5000L, 0.25, true, Instant.parse("2026-02-28T10:15:30.123456Z"),
            LocalDate.parse("2026-02-28"), new BigDecimal("12.50"));
    private static final Object[] C2 = row("free", 0L, -1.5e300, false, null, null, null);
    private static final Object[] C3 = row("zürich \u2603 \"quoted\"", Long.MIN_VALUE, Double.NaN, null,
            Instant.EPOCH, LocalDate.parse("1969-12-31"), new BigDecimal("-0.001"));

    @Test
    void publishedRowsReadBackWithTheirTypesAndMissingKeysAreNull() {
        String view = newView();
        assertThat(store.view(view)).isEmpty();
        OnlineView state = publish(view, true, publication(AS_OF, null), List.of(key("c1"), key("c2"), key("c3")),
                rows(C1, C2, C3));
        assertThat(state.version()).isEqualTo(1);
        assertThat(state.asOf()).isEqualTo(AS_OF);
        assertThat(state.features()).isEqualTo(FEATURES);
        assertThat(state.rows()).isEqualTo(3);
        assertThat(store.view(view)).contains(state);

        List<Object[]> rows = store.read(state, List.of(key("c3"), key("nobody"), key("c1"), key("c2"), key("c1")));
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).containsExactly(C3);
        assertThat(rows.get(1)).isNull();
        assertThat(rows.get(2)).containsExactly(C1);
        assertThat(rows.get(3)).containsExactly(C2);
        assertThat(rows.get(4)).containsExactly(C1);
        assertThat(store.read(state, List.of())).isEmpty();
    }

    @Test
    void compositeKeysAreDistinct() {
        String view = newView();
        Publication p = new Publication(AS_OF, List.of("n"), List.of("user_id", "merchant_id"),
                List.of("STRING", "INTEGER"), "fp", null);
        OnlineView state = publish(view, true, p, List.of(key("u1", 7L), key("u1", 8L), key("u17", 8L)),
                rows(row(1L), row(2L), row(3L)));
        List<Object[]> rows = store.read(state, List.of(key("u1", 8L), key("u1", 7L), key("u17", 8L), key("u1", 78L)));
        assertThat(rows.get(0)).containsExactly(2L);
        assertThat(rows.get(1)).containsExactly(1L);
        assertThat(rows.get(2)).containsExactly(3L);
        assertThat(rows.get(3)).isNull();
    }

    @Test
    void aRunIsInvisibleUntilPublishedAndAnAbandonedRunLeavesNoTrace() {
        String view = newView();
        try (OnlineWriter writer = store.begin(view, true)) {
            writer.put(key("c1"), C1);
        }
        assertThat(store.view(view)).as("abandoned first run").isEmpty();

        OnlineView first = publish(view, true, publication(AS_OF, null), List.of(key("c1")), rows(C1));
        try (OnlineWriter writer = store.begin(view, true)) {
            writer.put(key("c1"), C2);
            writer.put(key("c2"), C2);
            OnlineView during = store.view(view).orElseThrow();
            assertThat(during).isEqualTo(first);
            assertThat(store.read(during, List.of(key("c1"), key("c2")))).satisfiesExactly(
                    r -> assertThat(r).containsExactly(C1), r -> assertThat(r).isNull());
            // closed without publishing: a crash half way
        }
        OnlineView after = store.view(view).orElseThrow();
        assertThat(after).isEqualTo(first);
        assertThat(store.read(after, List.of(key("c1"), key("c2")))).satisfiesExactly(
                r -> assertThat(r).containsExactly(C1), r -> assertThat(r).isNull());
    }

    @Test
    void aFullRunReplacesEveryEarlierRow() {
        String view = newView();
        publish(view, true, publication(AS_OF, null), List.of(key("c1"), key("c2")), rows(C1, C2));
        Instant later = AS_OF.plusSeconds(3600);
        OnlineView second = publish(view, true, publication(later, null), List.of(key("c2")), rows(C3));
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.asOf()).isEqualTo(later);
        assertThat(second.layers()).hasSize(1);
        assertThat(store.read(second, List.of(key("c1"), key("c2")))).satisfiesExactly(
                r -> assertThat(r).isNull(), r -> assertThat(r).containsExactly(C3));
    }

    @Test
    void anIncrementalRunLiesOverTheRowsBelowIt() {
        String view = newView();
        publish(view, true, publication(AS_OF, null), List.of(key("c1"), key("c2")), rows(C1, C2));
        OnlineView second = publish(view, false, publication(AS_OF.plusSeconds(60), null), List.of(key("c2"),
                key("c3")), rows(C3, C1));
        assertThat(second.layers()).hasSize(2);
        assertThat(second.version()).isEqualTo(2);
        OnlineView third = publish(view, false, publication(AS_OF.plusSeconds(120), null), List.of(key("c1")),
                rows(row(null, null, null, null, null, null, null)));
        assertThat(third.layers()).hasSize(3);
        assertThat(store.read(third, List.of(key("c1"), key("c2"), key("c3"), key("c4")))).satisfiesExactly(
                r -> assertThat(r).containsExactly((Object) null, null, null, null, null, null, null),
                r -> assertThat(r).containsExactly(C3),
                r -> assertThat(r).containsExactly(C1),
                r -> assertThat(r).isNull());
        OnlineView full = publish(view, true, publication(AS_OF.plusSeconds(180), null), List.of(key("c4")),
                rows(C2));
        assertThat(full.layers()).hasSize(1);
        assertThat(store.read(full, List.of(key("c1"), key("c2"), key("c3"), key("c4")))).satisfiesExactly(
                r -> assertThat(r).isNull(), r -> assertThat(r).isNull(), r -> assertThat(r).isNull(),
                r -> assertThat(r).containsExactly(C2));
    }

    @Test
    void anIncrementalRunWithoutRowsMovesTheWatermarkAndAddsNoLayer() {
        String view = newView();
        publish(view, true, publication(AS_OF, null), List.of(key("c1")), rows(C1));
        OnlineView moved = publish(view, false, publication(AS_OF.plusSeconds(60), null), List.of(), rows());
        assertThat(moved.layers()).hasSize(1);
        assertThat(moved.asOf()).isEqualTo(AS_OF.plusSeconds(60));
        assertThat(store.read(moved, List.of(key("c1"))).get(0)).containsExactly(C1);
    }

    @Test
    void streamCommitsWriteRowsStateAndOffsetsTogetherAndSurviveANewStoreInstance() {
        if (!supportsStreams()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.streams())
                    .isInstanceOf(dev.fletcher.spi.NotSupportedException.class);
            return;
        }
        String view = newView();
        OnlineView batch = publish(view, true, publication(AS_OF, 1L), List.of(key("c9")), rows(C3));
        StreamState streams = store.streams();
        assertThat(streams.offsets(view)).isEmpty();
        OnlineView first = streams.commit(view, new StreamCommit(java.util.Map.of(key("c1"), C1),
                java.util.Map.of(key("c1"), new byte[] {1, 2, 3}), java.util.Map.of(0, 5L, 1, 7L),
                publication(AS_OF.plusSeconds(1), 1L), 1));
        assertThat(first.version()).isEqualTo(batch.version() + 1);
        assertThat(first.layers()).extracting(OnlineView.Layer::id).containsExactly(StreamState.STREAM_LAYER);
        assertThat(first.asOf()).isEqualTo(AS_OF.plusSeconds(1));
        assertThat(store.read(first, List.of(key("c1"), key("c9")))).satisfiesExactly(
                r -> assertThat(r).containsExactly(C1), r -> assertThat(r).isNull());
        OnlineView second = streams.commit(view, new StreamCommit(java.util.Map.of(key("c1"), C2, key("c2"), C3),
                java.util.Map.of(key("c2"), new byte[] {4}), java.util.Map.of(1, 9L),
                publication(AS_OF.plusSeconds(2), 1L), 2));
        assertThat(second.rows()).isEqualTo(2);
        store.close();
        store = open();
        StreamState reopened = store.streams();
        assertThat(reopened.offsets(view)).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(0, 5L, 1, 9L));
        java.util.Map<String, byte[]> entities = new java.util.HashMap<>();
        reopened.forEachEntity(view, entities::put);
        assertThat(entities).containsOnlyKeys(key("c1"), key("c2"));
        assertThat(entities.get(key("c1"))).containsExactly(1, 2, 3);
        OnlineView state = store.view(view).orElseThrow();
        assertThat(state).isEqualTo(second);
        try {
            Thread.sleep(1_200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the stream layer does not expire with the ttl: the processor recomputes values as the watermark moves
        assertThat(store.read(state, List.of(key("c1"), key("c2")))).satisfiesExactly(
                r -> assertThat(r).containsExactly(C2), r -> assertThat(r).containsExactly(C3));
        store.drop(view);
        assertThat(store.streams().offsets(view)).isEmpty();
    }

    @Test
    void publishedStateSurvivesANewStoreInstance() {
        String view = newView();
        publish(view, true, publication(AS_OF, 86_400L), List.of(key("c1"), key("c2")), rows(C1, C2));
        publish(view, false, publication(AS_OF.plusSeconds(5), 86_400L), List.of(key("c3")), rows(C3));
        store.close();
        store = open();
        OnlineView state = store.view(view).orElseThrow();
        assertThat(state.version()).isEqualTo(2);
        assertThat(state.ttlSeconds()).isEqualTo(86_400L);
        assertThat(store.read(state, List.of(key("c1"), key("c2"), key("c3")))).satisfiesExactly(
                r -> assertThat(r).containsExactly(C1), r -> assertThat(r).containsExactly(C2),
                r -> assertThat(r).containsExactly(C3));
    }

    @Test
    void rowsExpireTheirTtlAfterTheyWereWritten() throws InterruptedException {
        String view = newView();
        OnlineView state = publish(view, true, publication(AS_OF, 1L), List.of(key("c1")), rows(C1));
        String kept = newView();
        OnlineView forever = publish(kept, true, publication(AS_OF, null), List.of(key("c1")), rows(C1));
        assertThat(store.read(state, List.of(key("c1"))).get(0)).containsExactly(C1);
        Thread.sleep(2_300);
        assertThat(store.read(store.view(view).orElse(state), List.of(key("c1"))).get(0)).isNull();
        assertThat(store.read(forever, List.of(key("c1"))).get(0)).containsExactly(C1);
    }

    @Test
    void manyKeysInOneRead() {
        String view = newView();
        List<String> keys = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            keys.add(key("k" + i));
            rows.add(row("p" + i, (long) i, i / 4.0, i % 2 == 0, null, null, null));
        }
        OnlineView state = publish(view, true, publication(AS_OF, null), keys, rows);
        List<String> wanted = new ArrayList<>();
        for (int i = 19_999; i >= 0; i -= 7) {
            wanted.add(key("k" + i));
        }
        wanted.add(key("k20000"));
        List<Object[]> read = store.read(state, wanted);
        assertThat(read).hasSize(wanted.size());
        for (int j = 0; j < wanted.size() - 1; j++) {
            int i = 19_999 - 7 * j;
            assertThat(read.get(j)).containsExactly("p" + i, (long) i, i / 4.0, i % 2 == 0, null, null, null);
        }
        assertThat(read.get(wanted.size() - 1)).isNull();
    }

    @Test
    void sampledKeysAreKeysTheViewHolds() {
        String view = newView();
        List<String> keys = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            keys.add(key("s" + i));
            rows.add(C2);
        }
        OnlineView state = publish(view, true, publication(AS_OF, null), keys, rows);
        List<String> sample = store.sampleKeys(state, 50);
        assertThat(sample).hasSizeBetween(25, 50).doesNotHaveDuplicates();
        assertThat(keys).containsAll(sample);
        Set<String> all = new HashSet<>(store.sampleKeys(state, 10_000));
        assertThat(keys).containsAll(all);
        String small = newView();
        OnlineView few = publish(small, true, publication(AS_OF, null), List.of(key("only")), rows(C1));
        assertThat(store.sampleKeys(few, 10)).containsExactly(key("only"));
    }

    @Test
    void droppedViewsAreGoneAndViewsAreIndependent() {
        String a = newView();
        String b = newView();
        publish(a, true, publication(AS_OF, null), List.of(key("c1")), rows(C1));
        OnlineView stateB = publish(b, true, publication(AS_OF, null), List.of(key("c1")), rows(C2));
        store.drop(a);
        assertThat(store.view(a)).isEmpty();
        assertThat(store.read(stateB, List.of(key("c1"))).get(0)).containsExactly(C2);
        OnlineView again = publish(a, true, publication(AS_OF, null), List.of(key("c2")), rows(C3));
        assertThat(again.version()).isEqualTo(1);
        assertThat(store.read(again, List.of(key("c1"), key("c2")))).satisfiesExactly(
                r -> assertThat(r).isNull(), r -> assertThat(r).containsExactly(C3));
    }
}
