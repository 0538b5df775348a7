package dev.fletcher.spi.online;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * A view's published state in the online store.
 *
 * @param version     counts the view's publications, from 1
 * @param asOf        the watermark its values were computed at: every value is the training-set value at this time
 * @param features    the names of the values in each stored row, in order
 * @param rows        the rows of the newest layer
 * @param publishedAt when it was published
 * @param layers      the layers a read looks through, newest first
 */
public record OnlineView(String view, long version, Instant asOf, List<String> features, List<String> keyColumns,
        List<String> keyKinds, String fingerprint, Long ttlSeconds, long rows, Instant publishedAt, List<Layer> layers) {

    /**
     * One run's rows.
     *
     * @param id          the plugin's identifier of the layer
     * @param buckets     how the plugin spread the layer's keys (plugin-specific, 0 when unused)
     * @param refreshedAt when it was written or last refreshed; with a ttl it expires that long after
     */
    public record Layer(long id, int buckets, long rows, Instant refreshedAt) {
    }

    public OnlineView {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(asOf, "asOf");
        features = List.copyOf(features);
        keyColumns = List.copyOf(keyColumns);
        keyKinds = List.copyOf(keyKinds);
        layers = List.copyOf(layers);
    }

    /** The state after publishing a run's layer on top of this one (or on nothing: {@code previous} null). */
    public static OnlineView next(String view, OnlineView previous, boolean replace, Publication publication,
            Layer layer, Instant now) {
        List<Layer> layers = new ArrayList<>();
        // An incremental run that changed nothing moves the watermark without adding a layer to look through.
        if (replace || previous == null || layer.rows() > 0) {
            layers.add(layer);
        }
        if (!replace && previous != null) {
            for (Layer older : previous.layers()) {
                layers.add(new Layer(older.id(), older.buckets(), older.rows(), now));
            }
        }
        return new OnlineView(view, previous == null ? 1 : previous.version() + 1, publication.asOf(),
                publication.features(), publication.keyColumns(), publication.keyKinds(), publication.fingerprint(),
                publication.ttlSeconds(), layer.rows(), now, layers);
    }


    /** Whether a layer has outlived the view's ttl at {@code now}; the stream layer never does. */
    public boolean expired(Layer layer, Instant now) {
        return ttlSeconds != null && layer.id() != StreamState.STREAM_LAYER
                && layer.refreshedAt().plusSeconds(ttlSeconds).isBefore(now);
    }

    /** The state after a stream commit: the stream layer alone, as of the commit's watermark. */
    public static OnlineView streamed(String view, OnlineView previous, Publication publication, int buckets,
            long rows, Instant now) {
        return new OnlineView(view, previous == null ? 1 : previous.version() + 1, publication.asOf(),
                publication.features(), publication.keyColumns(), publication.keyKinds(), publication.fingerprint(),
                publication.ttlSeconds(), rows, now, List.of(new Layer(StreamState.STREAM_LAYER, buckets, rows, now)));
    }

    /** The index of a feature in the stored rows, or -1. */
    public int indexOf(String feature) {
        return features.indexOf(feature);
    }

    /** A line-per-field text (java.util.Properties), readable in the backend's own tools. */
    public String toText() {
        Properties p = new Properties();
        p.setProperty("format", "1");
        p.setProperty("view", view);
        p.setProperty("version", Long.toString(version));
        p.setProperty("as_of", asOf.toString());
        p.setProperty("features", String.join(",", features));
        p.setProperty("key_columns", String.join(",", keyColumns));
        p.setProperty("key_kinds", String.join(",", keyKinds));
        p.setProperty("fingerprint", fingerprint);
        if (ttlSeconds != null) {
            p.setProperty("ttl_seconds", Long.toString(ttlSeconds));
        }
        p.setProperty("rows", Long.toString(rows));
        p.setProperty("published_at", publishedAt.toString());
        List<String> text = new ArrayList<>();
        for (Layer layer : layers) {
            text.add(layer.id() + "/" + layer.buckets() + "/" + layer.rows() + "/" + layer.refreshedAt());
        }
        p.setProperty("layers", String.join(",", text));
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Drop the date comment Properties writes, so equal states give equal text.
        String stored = out.toString();
        return stored.startsWith("#") ? stored.substring(stored.indexOf('\n') + 1) : stored;
    }

    /** @throws IllegalArgumentException when the text is not a state {@link #toText} wrote */
    public static OnlineView fromText(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!"1".equals(p.getProperty("format"))) {
            throw new IllegalArgumentException("unknown online view state format " + p.getProperty("format"));
        }
        List<Layer> layers = new ArrayList<>();
        for (String layer : list(p.getProperty("layers"))) {
            String[] parts = layer.split("/", 4);
            layers.add(new Layer(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]),
                    Instant.parse(parts[3])));
        }
        String ttl = p.getProperty("ttl_seconds");
        return new OnlineView(p.getProperty("view"), Long.parseLong(p.getProperty("version")),
                Instant.parse(p.getProperty("as_of")), list(p.getProperty("features")),
                list(p.getProperty("key_columns")), list(p.getProperty("key_kinds")), p.getProperty("fingerprint"),
                ttl == null ? null : Long.parseLong(ttl), Long.parseLong(p.getProperty("rows")),
                Instant.parse(p.getProperty("published_at")), layers);
    }

    private static List<String> list(String text) {
        return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
    }
}
