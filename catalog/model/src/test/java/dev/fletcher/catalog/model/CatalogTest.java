package dev.fletcher.catalog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogTest {
    private final Entity customer = new Entity("customer", List.of("customer_id"));
    private final Source txns = new Source("txns", "default", "txns", null, "at", null,
            Map.of("customer", List.of("customer_id")), null, null, Map.of());
    private final FeatureView view = new FeatureView("customer_txn", "customer", "txns", null, false,
            List.of(new Feature.Aggregated("n", Aggregation.COUNT, null, Window.parse("1d"), null, null, null, null)),
            null, Map.of());
    private final Metric revenue = new Metric.Simple("revenue", "txns", "customer",
            new Metric.Measure(Aggregation.SUM, "amount"), null, List.of(), null, Map.of());
    private final Catalog catalog = Catalog.of(List.of(customer, txns, view, revenue));

    @Test
    void typedLookups() {
        assertThat(catalog.entity("customer")).contains(customer);
        assertThat(catalog.source("txns")).contains(txns);
        assertThat(catalog.featureView("customer_txn")).contains(view);
        assertThat(catalog.metric("revenue")).contains(revenue);
        assertThat(catalog.metric("customer")).isEmpty();
        assertThat(catalog.feature(FeatureRef.parse("customer_txn:n"))).contains(view.features().get(0));
        assertThat(catalog.feature(FeatureRef.parse("customer_txn:m"))).isEmpty();
        assertThat(catalog.entities()).containsExactly(customer);
    }

    @Test
    void referencingFindsWhatADeletionWouldBreak() {
        assertThat(catalog.referencing(new ObjectKey(Kind.ENTITY, "customer"))).containsExactlyInAnyOrder(txns, view, revenue);
        assertThat(catalog.referencing(new ObjectKey(Kind.SOURCE, "txns"))).containsExactlyInAnyOrder(view, revenue);
    }

    @Test
    void twoDefinitionsOfOneKeyAreRefused() {
        assertThatThrownBy(() -> Catalog.of(List.of(customer, new Entity("customer", List.of("id")))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void featureReferences() {
        FeatureRef ref = FeatureRef.parse("customer_profile:plan");
        assertThat(ref.column()).isEqualTo("customer_profile__plan");
        for (String bad : new String[] {"plan", "a:b:c", ":plan", "View:plan"}) {
            assertThatThrownBy(() -> FeatureRef.parse(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
