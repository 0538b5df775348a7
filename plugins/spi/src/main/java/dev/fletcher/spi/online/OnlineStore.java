package dev.fletcher.spi.online;

import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.PluginKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the online values of feature views live: per view, per entity key, one row of values in the order of
 * {@link OnlineView#features()}. What a view serves changes only by {@link OnlineWriter#publish}: a run writes a new
 * layer of rows, unseen by readers, then switches the view's state to it in one step, so a run that fails or dies
 * half way leaves nothing of itself visible. A full run's layer replaces every earlier one; an incremental run's
 * layer lies over the current ones (a key it holds hides the same key below it). Thread safe.
 *
 * <p>Failures to reach the backend are {@link OnlineStoreUnavailableException}; the store recovers by itself once
 * the backend is back.
 */
public interface OnlineStore extends AutoCloseable {
    /** The plugin's name, e.g. {@code redis}. */
    String name();

    /** The view's published state, or empty when it was never published (or was dropped). */
    Optional<OnlineView> view(String view);

    /**
     * {@link #view} without holding the calling thread while the backend answers (a read served on an event loop
     * asks this way); failed with {@link OnlineStoreUnavailableException} when the backend cannot be reached in time.
     */
    default CompletionStage<Optional<OnlineView>> viewAsync(String view) {
        try {
            return CompletableFuture.completedFuture(view(view));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Starts a run that writes a new layer for the view; nothing is visible until {@link OnlineWriter#publish}.
     *
     * @param replace true for a full run (the new layer replaces every other), false for an incremental one
     */
    OnlineWriter begin(String view, boolean replace);

    /**
     * The rows of the keys ({@link OnlineKeys#encode}), in order: each row's values follow
     * {@code state.features()}; null for a key the view does not hold (or whose layer expired).
     *
     * @param state what {@link #view} answered, not necessarily the newest
     */
    List<Object[]> read(OnlineView state, List<String> keys);

    /**
     * {@link #read} without holding the calling thread while the backend answers; the stage completes on a thread of
     * the plugin's, failed with {@link OnlineStoreUnavailableException} when the backend cannot be reached in time.
     */
    default CompletionStage<List<Object[]>> readAsync(OnlineView state, List<String> keys) {
        try {
            return CompletableFuture.completedFuture(read(state, keys));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@link #readAsync} of several views at once, answered in their order; a store that can serves them in one round
     * trip to its backend.
     */
    default CompletionStage<List<List<Object[]>>> readAllAsync(List<OnlineView> states,
            List<List<String>> keys) {
        List<CompletableFuture<List<Object[]>>> reads = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            reads.add(readAsync(states.get(i), keys.get(i)).toCompletableFuture());
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                .thenApply(done -> reads.stream().map(CompletableFuture::join).toList());
    }

    /** Up to {@code count} keys the view holds, picked at random (fewer when it holds fewer). */
    List<String> sampleKeys(OnlineView state, int count);

    /** Removes the view's state, every layer and any stream state. */
    void drop(String view);

    /**
     * Stream processing state kept with the rows.
     *
     * @throws NotSupportedException when the plugin (or its configuration) cannot commit
     *     rows and positions atomically
     */
    default StreamState streams() {
        throw new NotSupportedException(PluginKind.ONLINE_STORE, name(), "stream state");
    }

    @Override
    void close();
}
