package dev.fletcher.server.online;

import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Source;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Identifies what a view's stored values were computed from: the entity's keys, the source (where and how its rows
 * are read) and the view's ttl and non-derived features. Derived features are computed at read time, and
 * descriptions and tags change no value, so neither takes part.
 */
public final class Fingerprints {
    private Fingerprints() {
    }

    public static String of(FeatureView view, Entity entity, Source source) {
        StringBuilder text = new StringBuilder("entity ").append(entity.keys()).append('\n');
        text.append("source ").append(source.warehouse()).append('|').append(source.table()).append('|')
                .append(source.sql()).append('|').append(source.timestamp()).append('|')
                .append(source.createdTimestamp()).append('|').append(source.columnsOf(entity.name())).append('\n');
        text.append("ttl ").append(view.ttl() == null ? "none" : view.ttl().seconds()).append('\n');
        for (Feature feature : view.features()) {
            if (feature instanceof Feature.LatestValue latest) {
                text.append("latest ").append(latest.name()).append('|').append(latest.column()).append('\n');
            } else if (feature instanceof Feature.Aggregated a) {
                text.append("aggregated ").append(a.name()).append('|').append(a.aggregation()).append('|')
                        .append(a.column()).append('|').append(a.window().seconds()).append('|').append(a.filter())
                        .append('|').append(a.percentile()).append('\n');
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
