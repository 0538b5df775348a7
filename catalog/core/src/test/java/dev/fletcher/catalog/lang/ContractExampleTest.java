package dev.fletcher.catalog.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.catalog.model.Aggregation;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.DriftMethod;
import dev.fletcher.catalog.model.Experiment;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureType;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.catalog.model.Metric;
import dev.fletcher.catalog.model.Monitor;
import dev.fletcher.catalog.model.ObjectKey;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.catalog.model.Window;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContractExampleTest {
    private final ParsedBundle bundle = BundleParser.parse("contract.yaml", Bundles.resource("contract-example.yaml"));
    private final Catalog catalog = new Catalog(Bundles.catalogOf(bundle));

    @Test
    void everyDocumentParsesWithItsLabelAndLine() {
        // 12 documents from the contract, 13 more for the objects they name.
        assertThat(bundle.objects()).hasSize(25);
        ParsedObject first = bundle.objects().get(0);
        assertThat(first.document()).isEqualTo("contract.yaml#1");
        assertThat(first.line()).isEqualTo(1);
        ParsedObject txns = bundle.objects().get(1);
        assertThat(txns.document()).isEqualTo("contract.yaml#2");
        assertThat(txns.line()).isEqualTo(5);
        assertThat(txns.lineOf("stream.topic")).isEqualTo(12);
        ParsedObject experiment = bundle.objects().get(11);
        assertThat(experiment.object().key()).isEqualTo(new ObjectKey(Kind.EXPERIMENT, "checkout_redesign"));
        assertThat(experiment.document()).isEqualTo("contract.yaml#12");
        assertThat(experiment.line()).isEqualTo(83);
        assertThat(experiment.lineOf("cuped.lookback")).isEqualTo(90);
        ParsedObject afterComment = bundle.objects().get(12);
        assertThat(afterComment.document()).isEqualTo("contract.yaml#13");
        assertThat(afterComment.line()).isEqualTo(93);
    }

    @Test
    void theWholeCatalogValidates() {
        CatalogValidator.validate(Bundles.catalogOf(bundle), bundle);
    }

    @Test
    void sourceFieldsAreRead() {
        Source txns = catalog.source("txns").orElseThrow();
        assertThat(txns.warehouse()).isEqualTo("default");
        assertThat(txns.table()).isEqualTo("txns");
        assertThat(txns.sql()).isNull();
        assertThat(txns.timestamp()).isEqualTo("txn_at");
        assertThat(txns.createdTimestamp()).isEqualTo("loaded_at");
        assertThat(txns.entityColumns()).isEqualTo(Map.of("customer", List.of("customer_id")));
        assertThat(txns.stream()).isEqualTo(new Source.Stream("kafka", "txns", "json"));
        Source leads = catalog.source("leads").orElseThrow();
        assertThat(leads.table()).isNull();
        assertThat(leads.sql()).startsWith("select lead_id");
    }

    @Test
    void featureViewsHoldTheThreeKindsOfFeature() {
        FeatureView profile = catalog.featureView("customer_profile").orElseThrow();
        assertThat(profile.ttl()).isEqualTo(new Window("30d", 30 * 86_400L));
        assertThat(profile.online()).isTrue();
        assertThat(profile.features()).containsExactly(
                new Feature.LatestValue("plan", "plan", FeatureType.STRING, null),
                new Feature.LatestValue("credit_limit", "credit_limit", FeatureType.INT64, null));

        FeatureView txn = catalog.featureView("customer_txn").orElseThrow();
        assertThat(txn.ttl()).isNull();
        assertThat(txn.features()).containsExactly(
                new Feature.Aggregated("amount_sum_1h", Aggregation.SUM, "amount", new Window("1h", 3600), null, null,
                        null, null),
                new Feature.Aggregated("txn_count_1d", Aggregation.COUNT, null, new Window("1d", 86_400), null, null,
                        null, null),
                new Feature.Aggregated("amount_avg_7d", Aggregation.AVG, "amount", new Window("7d", 604_800), null,
                        null, null, null),
                new Feature.Aggregated("amount_max_7d", Aggregation.MAX, "amount", new Window("7d", 604_800), null,
                        null, null, null),
                new Feature.Derived("big_share_7d", "amount_max_7d / nullif(amount_avg_7d, 0)", null, null));
    }

    @Test
    void everyMetricTypeIsRead() {
        assertThat(catalog.metric("revenue").orElseThrow()).isEqualTo(new Metric.Simple("revenue", "orders", "customer",
                new Metric.Measure(Aggregation.SUM, "revenue"), "status <> 'refunded'", List.of("country", "channel"),
                null, Map.of()));
        assertThat(catalog.metric("orders").orElseThrow()).isEqualTo(new Metric.Simple("orders", "orders", "customer",
                new Metric.Measure(Aggregation.COUNT, null), null, List.of(), null, Map.of()));
        assertThat(catalog.metric("conversion_rate").orElseThrow())
                .isEqualTo(new Metric.Ratio("conversion_rate", "conversions", "leads", null, Map.of()));
        assertThat(catalog.metric("revenue_per_order").orElseThrow()).isEqualTo(new Metric.Derived("revenue_per_order",
                "revenue / nullif(orders, 0)", List.of(new Metric.Input("revenue"), new Metric.Input("orders")), null,
                Map.of()));
        assertThat(catalog.metric("revenue_28d").orElseThrow()).isEqualTo(
                new Metric.Cumulative("revenue_28d", "revenue", new Window("28d", 28 * 86_400L), null, null, Map.of()));
        assertThat(catalog.metric("visit_to_buy").orElseThrow()).isEqualTo(new Metric.Conversion("visit_to_buy",
                "customer", "visits", "purchases", new Window("7d", 604_800), null, Map.of()));
    }

    @Test
    void monitorsAndExperimentAreRead() {
        assertThat(catalog.monitor("model_accuracy").orElseThrow()).isEqualTo(new Monitor.Threshold("model_accuracy",
                "prediction_accuracy", new Window("3h", 10_800), new Window("5m", 300), new Window("0s", 0),
                new Monitor.Alert(0.8, null), null, Map.of()));
        assertThat(catalog.monitor("amount_drift").orElseThrow()).isEqualTo(new Monitor.Drift("amount_drift",
                "customer_txn", "amount_avg_7d", null, null,
                new Monitor.DriftTest(DriftMethod.PSI, new Window("7d", 604_800), new Window("1d", 86_400), 10, 0.2),
                new Window("1h", 3_600), null, Map.of()));
        assertThat(catalog.experiment("checkout_redesign").orElseThrow()).isEqualTo(new Experiment("checkout_redesign",
                "customer", new Experiment.Assignments("assignments", "variant"), "control",
                new Window("14d", 14 * 86_400L), List.of("revenue", "orders"),
                new Experiment.Cuped(new Window("14d", 14 * 86_400L)), Map.of(), null, Map.of()));
    }

    @Test
    void everyObjectSurvivesJsonAndYaml() {
        for (ParsedObject parsed : bundle.objects()) {
            assertThat(parsed.spec()).isEqualTo(CatalogCodec.toJson(parsed.object()));
            assertThat(CatalogCodec.fromJson(parsed.object().kind(), parsed.spec())).isEqualTo(parsed.object());
            String yaml = CatalogCodec.toYaml(parsed.object());
            ParsedBundle again = BundleParser.parse("again.yaml", yaml);
            assertThat(again.objects()).singleElement()
                    .satisfies(o -> assertThat(o.object()).isEqualTo(parsed.object()))
                    .satisfies(o -> assertThat(o.spec()).isEqualTo(parsed.spec()));
        }
    }
}
