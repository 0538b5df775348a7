package dev.fletcher.catalog.model;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An immutable snapshot of every definition, with typed lookups. */
public final class Catalog {
    private static final Catalog EMPTY = new Catalog(Map.of());

    private final Map<ObjectKey, CatalogObject> objects;

    public Catalog(Map<ObjectKey, ? extends CatalogObject> objects) {
        TreeMap<ObjectKey, CatalogObject> sorted = new TreeMap<>();
        objects.forEach((key, object) -> {
            if (!key.equals(object.key())) {
                throw new IllegalArgumentException("object " + object.key() + " filed under " + key);
            }
            sorted.put(key, object);
        });
        this.objects = Collections.unmodifiableMap(sorted);
    }

    public static Catalog empty() {
        return EMPTY;
    }

    /** @throws IllegalArgumentException when two objects share a kind and name */
    public static Catalog of(Collection<? extends CatalogObject> objects) {
        TreeMap<ObjectKey, CatalogObject> map = new TreeMap<>();
        for (CatalogObject object : objects) {
            if (map.put(object.key(), object) != null) {
                throw new IllegalArgumentException("two definitions of " + object.key());
            }
        }
        return new Catalog(map);
    }

    /** Every object, ordered by kind then name. */
    public Map<ObjectKey, CatalogObject> asMap() {
        return objects;
    }

    public Collection<CatalogObject> objects() {
        return objects.values();
    }

    public int size() {
        return objects.size();
    }

    public boolean contains(ObjectKey key) {
        return objects.containsKey(key);
    }

    public Optional<CatalogObject> get(ObjectKey key) {
        return Optional.ofNullable(objects.get(key));
    }

    public Optional<CatalogObject> get(Kind kind, String name) {
        return get(new ObjectKey(kind, name));
    }

    public Optional<Entity> entity(String name) {
        return typed(Kind.ENTITY, name, Entity.class);
    }

    public Optional<Source> source(String name) {
        return typed(Kind.SOURCE, name, Source.class);
    }

    public Optional<FeatureView> featureView(String name) {
        return typed(Kind.FEATURE_VIEW, name, FeatureView.class);
    }

    public Optional<Metric> metric(String name) {
        return typed(Kind.METRIC, name, Metric.class);
    }

    public Optional<Monitor> monitor(String name) {
        return typed(Kind.MONITOR, name, Monitor.class);
    }

    public Optional<Experiment> experiment(String name) {
        return typed(Kind.EXPERIMENT, name, Experiment.class);
    }

    /** The feature a reference such as {@code customer_profile:plan} names, if both view and feature exist. */
    public Optional<Feature> feature(FeatureRef ref) {
        return featureView(ref.view()).flatMap(v -> v.feature(ref.feature()));
    }

    public List<Entity> entities() {
        return all(Kind.ENTITY, Entity.class);
    }

    public List<Source> sources() {
        return all(Kind.SOURCE, Source.class);
    }

    public List<FeatureView> featureViews() {
        return all(Kind.FEATURE_VIEW, FeatureView.class);
    }

    public List<Metric> metrics() {
        return all(Kind.METRIC, Metric.class);
    }

    public List<Monitor> monitors() {
        return all(Kind.MONITOR, Monitor.class);
    }

    public List<Experiment> experiments() {
        return all(Kind.EXPERIMENT, Experiment.class);
    }

    /** The objects that name {@code key} among their references: what deleting it would break. */
    public List<CatalogObject> referencing(ObjectKey key) {
        return objects.values().stream().filter(o -> o.references().contains(key)).toList();
    }

    private <T> Optional<T> typed(Kind kind, String name, Class<T> type) {
        return get(kind, name).map(type::cast);
    }

    private <T> List<T> all(Kind kind, Class<T> type) {
        return objects.values().stream().filter(o -> o.kind() == kind).map(type::cast).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Catalog c && c.objects.equals(objects);
    }

    @Override
    public int hashCode() {
        return objects.hashCode();
    }

    @Override
    public String toString() {
        return "Catalog" + objects.keySet();
    }
}
