package dev.fletcher.catalog.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.catalog.model.Aggregation;
import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Grain;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.catalog.model.Metric;
import dev.fletcher.catalog.model.Monitor;
import dev.fletcher.catalog.model.Experiment;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.catalog.model.Window;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogCodecTest {
    /** Every optional field of every kind, so the round trips cover more than the contract's example does. */
    private static final String EVERYTHING = """
            kind: entity
            name: pair
            keys: [user_id, merchant_id]
            description: A user at a merchant
            tags: {team: risk, tier: "1"}
            ---
            kind: source
            name: payments
            warehouse: lake
            sql: |
              select * from payments
              where amount > 0
            timestamp: paid_at
            created_timestamp: loaded_at
            entity_columns: {pair: [payer, shop], customer: payer}
            stream: {plugin: kafka, topic: payments}
            description: Card payments
            ---
            kind: feature_view
            name: pair_stats
            entity: pair
            source: payments
            ttl: 2w
            features:
              - {name: p95_1d, column: amount, aggregation: approx_percentile, percentile: 0.95, window: 1d,
                 filter: "status = 'ok'", type: float64, description: typical big payment}
              - {name: distinct_cards, column: card, aggregation: count_distinct, window: 30s, type: int64}
              - {name: last_status, column: status, aggregation: last, window: 5m}
              - {name: spread, expr: "p95_1d / nullif(distinct_cards, 0)", type: float64}
              - {name: currency, type: string}
            ---
            kind: metric
            name: wow
            type: derived
            expr: (revenue - revenue_prev) / nullif(revenue_prev, 0)
            metrics: [revenue, {name: revenue, offset: 7d, alias: revenue_prev}]
            tags: {owner: finance}
            ---
            kind: metric
            name: revenue_mtd
            type: cumulative
            metric: revenue
            grain_to_date: month
            ---
            kind: metric
            name: revenue_all_time
            type: cumulative
            metric: revenue
            ---
            kind: monitor
            name: band
            metric: prediction_accuracy
            window: 3h
            every: 10m
            maturity: 2d
            alert: {below: 0.5, above: 0.99}
            ---
            kind: monitor
            name: amount_shift
            source: payments
            column: amount
            every: 1d
            drift: {method: ks, baseline: 28d, window: 1d, threshold: 0.1}
            description: amounts drift
            ---
            kind: experiment
            name: three_arms
            entity: pair
            assignments: {source: payments, variant: arm}
            control: baseline
            window: 7d
            metrics: [revenue]
            cuped: false
            split: {baseline: 2, a: 1, b: 1}
            guardrail_metrics: [latency]
            quantile_metrics: [{metric: revenue, quantile: 0.5}, {metric: latency, quantile: 0.99, guardrail: true}]
            analysis: {sequential: true, tuning: 20000, correction: bh, bayesian: {prior_mean: 0.01, prior_sd: 0.2}}
            ---
            kind: experiment
            name: flat_prior
            entity: pair
            assignments: {source: payments, variant: arm}
            window: 7d
            metrics: [revenue]
            analysis: {sequential: true, correction: holm, bayesian: {prior: false}}
            ---
            kind: experiment
            name: default_prior
            entity: pair
            assignments: {source: payments, variant: arm}
            window: 7d
            metrics: [revenue]
            analysis: {bayesian: true}
            """;

    private static List<CatalogObject> objects(String text) {
        return BundleParser.parse("c.yaml", text).objects().stream().map(ParsedObject::object).toList();
    }

    @Test
    void optionalFieldsAreRead() {
        List<CatalogObject> all = objects(EVERYTHING);
        assertThat(all.get(0).tags()).isEqualTo(Map.of("team", "risk", "tier", "1"));
        Source payments = (Source) all.get(1);
        assertThat(payments.sql()).isEqualTo("select * from payments\nwhere amount > 0\n");
        assertThat(payments.entityColumns()).isEqualTo(Map.of("pair", List.of("payer", "shop"), "customer", List.of("payer")));
        assertThat(payments.stream()).isEqualTo(new Source.Stream("kafka", "payments", "json"));
        FeatureView view = (FeatureView) all.get(2);
        assertThat(view.ttl().seconds()).isEqualTo(14 * 86_400L);
        assertThat(view.features().get(0)).isEqualTo(new Feature.Aggregated("p95_1d", Aggregation.APPROX_PERCENTILE,
                "amount", new Window("1d", 86_400), "status = 'ok'", 0.95,
                dev.fletcher.catalog.model.FeatureType.FLOAT64, "typical big payment"));
        assertThat(((Metric.Derived) all.get(3)).metrics()).containsExactly(new Metric.Input("revenue"),
                new Metric.Input("revenue", new Window("7d", 604_800), "revenue_prev"));
        assertThat(((Metric.Cumulative) all.get(4)).grainToDate()).isEqualTo(Grain.MONTH);
        assertThat(((Metric.Cumulative) all.get(5)).window()).isNull();
        Monitor.Threshold band = (Monitor.Threshold) all.get(6);
        assertThat(band.maturity().seconds()).isEqualTo(172_800);
        assertThat(band.alert().fires(0.4)).isTrue();
        assertThat(band.alert().fires(0.7)).isFalse();
        assertThat(band.alert().fires(0.995)).isTrue();
        Monitor.Drift shift = (Monitor.Drift) all.get(7);
        assertThat(shift.drift().bins()).isNull();
        Experiment arms = (Experiment) all.get(8);
        assertThat(arms.cuped()).isNull();
        assertThat(arms.split()).isEqualTo(Map.of("baseline", 2.0, "a", 1.0, "b", 1.0));
        assertThat(arms.guardrailMetrics()).containsExactly("latency");
        assertThat(arms.analysedMetrics()).containsExactly("revenue", "latency");
        assertThat(arms.analysis()).isEqualTo(new Experiment.Analysis(20_000.0, Experiment.Correction.BH,
                new Experiment.Bayesian(0.01, 0.2)));
        assertThat(((Experiment) all.get(9)).analysis()).isEqualTo(new Experiment.Analysis(
                Experiment.Analysis.DEFAULT_TUNING, Experiment.Correction.HOLM, Experiment.Bayesian.FLAT));
        assertThat(((Experiment) all.get(10)).analysis()).isEqualTo(new Experiment.Analysis(null,
                Experiment.Correction.NONE, new Experiment.Bayesian(0.0, 0.3)));
    }

    @Test
    void anExperimentWithoutAnalysisSettingsKeepsItsStoredForm() {
        // Definitions stored before guardrails and analysis settings existed must not look changed.
        CatalogObject plain = objects("""
                kind: experiment
                name: e
                entity: customer
                assignments: {source: a, variant: v}
                window: 7d
                metrics: [revenue]
                analysis: {sequential: false, correction: none}
                """).get(0);
        assertThat(CatalogCodec.toJson(plain)).doesNotContain("analysis").doesNotContain("guardrail")
                .doesNotContain("quantile");
    }

    @Test
    void everyKindRoundTripsThroughJsonAndYaml() {
        for (CatalogObject object : objects(EVERYTHING + "---\n" + Bundles.resource("contract-example.yaml"))) {
            String json = CatalogCodec.toJson(object);
            assertThat(CatalogCodec.fromJson(object.kind(), json)).as(json).isEqualTo(object);
            assertThat(objects(CatalogCodec.toYaml(object))).as(json).containsExactly(object);
        }
    }

    @Test
    void canonicalJsonSortsKeysAndWritesDefaults() {
        CatalogObject source = objects("""
                kind: source
                timestamp: at
                name: s
                table: t
                """).get(0);
        assertThat(CatalogCodec.toJson(source)).isEqualTo(
                "{\"entity_columns\":{},\"kind\":\"source\",\"name\":\"s\",\"table\":\"t\",\"timestamp\":\"at\","
                        + "\"warehouse\":\"default\"}");
        CatalogObject monitor = objects("""
                kind: monitor
                name: m
                metric: x
                window: 1h
                alert: {above: 1}
                """).get(0);
        assertThat(CatalogCodec.toJson(monitor)).isEqualTo("{\"alert\":{\"above\":1.0},\"every\":\"1h\",\"kind\":\"monitor\","
                + "\"maturity\":\"0s\",\"metric\":\"x\",\"name\":\"m\",\"window\":\"1h\"}");
    }

    @Test
    void theSpecIgnoresKeyOrderLayoutAndCommentsButNotValues() {
        String spec = spec("""
                kind: feature_view
                name: v
                entity: customer
                source: txns
                online: true
                features:
                  - {name: s, column: amount, aggregation: sum, window: 1h}
                """);
        String reordered = spec("""
                # the same view, written differently
                source: txns
                features:
                  -   window: 1h
                      aggregation: sum
                      name: s
                      column: "amount"
                online: yes
                kind: feature_view
                entity: customer
                name: v
                """);
        assertThat(reordered).isEqualTo(spec);
        String defaultsSpelledOut = spec("""
                kind: source
                name: s
                table: t
                timestamp: at
                warehouse: default
                entity_columns: {customer: [customer_id]}
                """);
        assertThat(defaultsSpelledOut).isEqualTo(spec("""
                {kind: source, name: s, table: t, timestamp: at, entity_columns: {customer: customer_id}}
                """));
        assertThat(spec("""
                kind: feature_view
                name: v
                entity: customer
                source: txns
                online: true
                features:
                  - {name: s, column: amount, aggregation: sum, window: 2h}
                """)).isNotEqualTo(spec);
    }

    private static String spec(String text) {
        return BundleParser.parse("s.yaml", text).objects().get(0).spec();
    }

    @Test
    void fromJsonRejectsAnotherKindOrBrokenJson() {
        String entity = CatalogCodec.toJson(objects("kind: entity\nname: e\nkeys: [id]\n").get(0));
        assertThatThrownBy(() -> CatalogCodec.fromJson(Kind.SOURCE, entity))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a source definition");
        assertThatThrownBy(() -> CatalogCodec.fromJson(Kind.ENTITY, "{\"kind\":\"entity\""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CatalogCodec.fromJson(Kind.ENTITY, "{\"kind\":\"entity\",\"name\":\"e\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stored entity/e")
                .hasMessageContaining("keys");
    }

    @Test
    void yamlReadsTheWayAPersonWritesIt() {
        String yaml = CatalogCodec.toYaml(objects("""
                kind: entity
                name: customer
                keys: [customer_id]
                description: Someone who buys
                """).get(0));
        assertThat(yaml).isEqualTo("""
                kind: entity
                name: customer
                keys:
                  - customer_id
                description: Someone who buys
                """);
    }
}
