package dev.fletcher.catalog.lang;

import static dev.fletcher.catalog.lang.Bundles.validationErrors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.catalog.model.ObjectKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogValidatorTest {
    /** The contract's example, as if applied earlier. */
    private final Map<ObjectKey, CatalogObject> stored =
            Bundles.catalogOf(BundleParser.parse("contract.yaml", Bundles.resource("contract-example.yaml")));

    private static void valid(Map<ObjectKey, CatalogObject> stored, String text) {
        ParsedBundle bundle = BundleParser.parse("b.yaml", text);
        Map<ObjectKey, CatalogObject> after = new LinkedHashMap<>(stored);
        after.putAll(Bundles.catalogOf(bundle));
        CatalogValidator.validate(after, bundle);
    }

    @Test
    void referencesToMissingObjectsNameDocumentLineAndField() {
        List<BundleError> errors = validationErrors(stored, """
                kind: feature_view
                name: v
                entity: custmer
                source: nowhere
                features: [{name: plan}]
                ---
                kind: source
                name: s
                table: s
                timestamp: t
                entity_columns: {merchant: merchant_id}
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field).containsExactly(
                tuple("b.yaml#1", 3, "entity"),
                tuple("b.yaml#1", 4, "source"),
                tuple("b.yaml#2", 11, "entity_columns.merchant"));
        assertThat(errors.get(0).message()).isEqualTo("no entity named 'custmer' exists (did you mean 'customer'?)");
        assertThat(errors.get(2).message()).contains("no entity named 'merchant'");
    }

    @Test
    void keyColumnsMustMatchTheEntitysKeys() {
        List<BundleError> errors = validationErrors(stored, """
                kind: entity
                name: pair
                keys: [user_id, merchant_id]
                ---
                kind: source
                name: payments
                table: payments
                timestamp: paid_at
                entity_columns:
                  pair: user_id
                  customer: [customer_id]
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field)
                .containsExactly(tuple("b.yaml#2", 10, "entity_columns.pair"));
        assertThat(errors.get(0).message()).contains("2 key(s)").contains("1 column(s)").contains("key order");
        valid(stored, """
                kind: entity
                name: pair
                keys: [user_id, merchant_id]
                ---
                kind: source
                name: payments
                table: payments
                timestamp: paid_at
                entity_columns: {pair: [payer, shop]}
                """);
    }

    @Test
    void aFeatureViewsSourceMustMapItsEntity() {
        List<BundleError> errors = validationErrors(stored, """
                kind: feature_view
                name: lead_txn
                entity: lead
                source: txns
                features: [{name: n, aggregation: count, window: 1d}]
                """);
        assertThat(errors).extracting(BundleError::line, BundleError::field).containsExactly(tuple(4, "source"));
        assertThat(errors.get(0).message()).contains("does not map entity 'lead'");
    }

    @Test
    void everyReferenceOfMetricsMonitorsAndExperimentsIsChecked() {
        List<BundleError> errors = validationErrors(stored, """
                kind: metric
                name: a
                source: nope
                entity: nobody
                measure: {agg: count}
                ---
                kind: metric
                name: b
                type: ratio
                numerator: x1
                denominator: orders
                ---
                kind: metric
                name: c
                type: derived
                expr: "x2 + revenue"
                metrics: [x2, revenue]
                ---
                kind: metric
                name: d
                type: cumulative
                metric: x3
                ---
                kind: metric
                name: e
                type: conversion
                entity: visitor
                base: x4
                conversion: purchases
                window: 1d
                ---
                kind: monitor
                name: f
                metric: x5
                window: 1h
                alert: {above: 3}
                ---
                kind: monitor
                name: g
                feature_view: customer_txn
                feature: amount_avg_8d
                drift: {method: ks, baseline: 7d, window: 1d, threshold: 0.1}
                ---
                kind: monitor
                name: h
                source: x6
                column: amount
                drift: {baseline: 7d, window: 1d, threshold: 0.1}
                ---
                kind: experiment
                name: i
                entity: customer
                assignments: {source: x7, variant: v}
                window: 7d
                metrics: [revenue, x8]
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field).containsExactly(
                tuple("b.yaml#1", 3, "source"),
                tuple("b.yaml#1", 4, "entity"),
                tuple("b.yaml#2", 10, "numerator"),
                tuple("b.yaml#3", 17, "metrics[0]"),
                tuple("b.yaml#4", 22, "metric"),
                tuple("b.yaml#5", 27, "entity"),
                tuple("b.yaml#5", 28, "base"),
                tuple("b.yaml#5", 29, "conversion"),
                tuple("b.yaml#6", 34, "metric"),
                tuple("b.yaml#7", 41, "feature"),
                tuple("b.yaml#8", 46, "source"),
                tuple("b.yaml#9", 53, "assignments.source"),
                tuple("b.yaml#9", 55, "metrics[1]"));
        // purchases reads orders, which maps customer but not visitor
        assertThat(errors.get(7).message()).contains("does not map entity 'visitor'");
        assertThat(errors.get(9).message()).contains("has no feature 'amount_avg_8d'").contains("did you mean 'amount_avg_7d'?");
    }

    @Test
    void cyclesInDerivedFeaturesReportThePath() {
        List<BundleError> errors = validationErrors(stored, """
                kind: feature_view
                name: loops
                entity: customer
                source: txns
                features:
                  - {name: total, column: amount, aggregation: sum, window: 1d}
                  - {name: a, expr: "b + total"}
                  - {name: b, expr: "a * 2"}
                  - {name: c, expr: "c + 1"}
                """);
        assertThat(errors).extracting(BundleError::line, BundleError::field, BundleError::message).containsExactly(
                tuple(7, "features[1].expr", "derived features form a cycle: a -> b -> a"),
                tuple(9, "features[3].expr", "derived features form a cycle: c -> c"));
    }

    @Test
    void derivedFeaturesMayOnlyNameFeaturesOfTheirView() {
        List<BundleError> errors = validationErrors(stored, """
                kind: feature_view
                name: shares
                entity: customer
                source: txns
                features:
                  - {name: total, column: amount, aggregation: sum, window: 1d}
                  - {name: n, aggregation: count, window: 1d}
                  - name: ok
                    expr: >-
                      case when coalesce(n, 0) = 0 then null
                      else cast(total as double) / n end -- 'amount' in a comment is fine
                  - {name: label, expr: "case when total > 100 then 'big amount' else 'small' end"}
                  - {name: bad, expr: "amount / nullif(totl, 0)"}
                """);
        assertThat(errors).extracting(BundleError::line, BundleError::field)
                .containsExactly(tuple(13, "features[4].expr"), tuple(13, "features[4].expr"));
        assertThat(errors.get(0).message()).startsWith("'amount' in expr is not a feature of view 'shares'");
        assertThat(errors.get(1).message()).contains("'totl'").contains("did you mean 'total'?");
    }

    @Test
    void anOnlineViewsDerivedFeaturesMustBeEvaluableAtReadTime() {
        String view = """
                kind: feature_view
                name: shares
                entity: customer
                source: txns
                online: %s
                features:
                  - {name: total, column: amount, aggregation: sum, window: 1d}
                  - {name: n, aggregation: count, window: 1d}
                  - {name: fine, expr: "coalesce(total, 0) / nullif(n, 0)"}
                  - {name: odd, expr: "date_trunc('day', total)"}
                  - {name: sized, expr: "total::numeric(10, 2) + 1"}
                """;
        List<BundleError> errors = validationErrors(stored, view.formatted("true"));
        assertThat(errors).extracting(BundleError::line, BundleError::field)
                .containsExactly(tuple(10, "features[3].expr"));
        assertThat(errors.get(0).message())
                .startsWith("view 'shares' is served online, where derived feature 'odd' is computed at read time")
                .contains("the function date_trunc() is not read here")
                .contains("at character 1");
        // offline, the expression runs only in the warehouse, which reads any SQL
        valid(stored, view.formatted("false"));
    }

    @Test
    void aStreamFedViewsFiltersMustBeEvaluableOnEvents() {
        List<BundleError> errors = validationErrors(stored, """
                kind: feature_view
                name: streamed
                entity: customer
                source: txns
                online: true
                features:
                  - {name: a, column: amount, aggregation: sum, window: 1h, filter: "amount > 10"}
                  - {name: b, column: amount, aggregation: sum, window: 1h, filter: "amount > 10 and"}
                """);
        assertThat(errors).extracting(BundleError::line, BundleError::field)
                .containsExactly(tuple(8, "features[1].filter"));
        assertThat(errors.get(0).message()).contains("is a stream").contains("the expression ends too early");
    }

    @Test
    void cyclesAcrossMetricsReportThePath() {
        List<BundleError> errors = validationErrors(stored, """
                kind: metric
                name: a
                type: derived
                expr: "b + 1"
                metrics: [b]
                ---
                kind: metric
                name: b
                type: derived
                expr: "c * 2"
                metrics: [c]
                ---
                kind: metric
                name: c
                type: cumulative
                metric: a
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::field, BundleError::message).contains(
                tuple("b.yaml#1", "metrics", "metrics form a cycle: a -> b -> c -> a"));
        // the cumulative metric over a derived one is wrong on its own, too
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field)
                .containsExactlyInAnyOrder(tuple("b.yaml#1", 5, "metrics"), tuple("b.yaml#3", 16, "metric"));
    }

    @Test
    void aggregationsThatNeedNumbersOverColumnsDeclaredText() {
        List<BundleError> errors = validationErrors(stored, """
                kind: feature_view
                name: plan_stats
                entity: customer
                source: profiles
                features:
                  - {name: plan_sum, column: plan, aggregation: sum, window: 7d}
                  - {name: plan_last, column: plan, aggregation: last, window: 7d}
                  - {name: limit_avg, column: credit_limit, aggregation: avg, window: 7d}
                """);
        assertThat(errors).extracting(BundleError::line, BundleError::field).containsExactly(tuple(6, "features[0].column"));
        assertThat(errors.get(0).message()).contains("declared string").contains("customer_profile:plan");
    }

    @Test
    void ratioPartsMustBeSimpleSumsOrCounts() {
        List<BundleError> errors = validationErrors(stored, """
                kind: metric
                name: r
                type: ratio
                numerator: revenue_per_order
                denominator: prediction_accuracy
                ---
                kind: metric
                name: fine
                type: ratio
                numerator: revenue
                denominator: orders
                """);
        assertThat(errors).extracting(BundleError::line, BundleError::field)
                .containsExactly(tuple(4, "numerator"), tuple(5, "denominator"));
        assertThat(errors.get(0).message()).contains("'revenue_per_order' is a derived metric");
        assertThat(errors.get(1).message()).contains("agg avg");
    }

    @Test
    void conversionPartsMustMapTheEntity() {
        List<BundleError> errors = validationErrors(stored, """
                kind: metric
                name: lead_to_order
                type: conversion
                entity: lead
                base: leads
                conversion: purchases
                window: 30d
                """);
        assertThat(errors).extracting(BundleError::line, BundleError::field).containsExactly(tuple(6, "conversion"));
        assertThat(errors.get(0).message()).contains("source 'orders'").contains("does not map entity 'lead'");
    }

    @Test
    void experimentMetricsMustBeMeasurablePerSubject() {
        List<BundleError> errors = validationErrors(stored, """
                kind: metric
                name: leads_per_visit
                type: derived
                expr: leads / nullif(v, 0)
                metrics: [leads, {name: visits, alias: v}]
                ---
                kind: experiment
                name: landing
                entity: customer
                assignments: {source: assignments, variant: arm}
                window: 7d
                metrics: [revenue, conversions, leads_per_visit]
                cuped: false
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field).containsExactly(
                tuple("b.yaml#2", 12, "metrics[1]"),
                tuple("b.yaml#2", 12, "metrics[2]"));
        assertThat(errors.get(0).message())
                .isEqualTo("metric 'conversions' cannot be measured per customer: its source 'leads' does not map entity"
                        + " 'customer'");
        assertThat(errors.get(1).message()).contains("via 'leads'");
    }

    @Test
    void guardrailMetricsMustExistAndBeMeasurablePerSubject() {
        List<BundleError> errors = validationErrors(stored, """
                kind: experiment
                name: landing
                entity: customer
                assignments: {source: assignments, variant: arm}
                window: 7d
                metrics: [revenue]
                guardrail_metrics: [orderz, conversions]
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field).containsExactly(
                tuple("b.yaml#1", 7, "guardrail_metrics[0]"),
                tuple("b.yaml#1", 7, "guardrail_metrics[1]"));
        assertThat(errors.get(0).message()).contains("no metric named 'orderz'").contains("orders");
        assertThat(errors.get(1).message()).contains("cannot be measured per customer");
    }

    @Test
    void quantileMetricsMustBeSimpleZeroWhenEmptyAndPerSubject() {
        List<BundleError> errors = validationErrors(stored, """
                kind: metric
                name: biggest_order
                source: orders
                entity: customer
                measure: {agg: max, expr: revenue}
                ---
                kind: experiment
                name: landing
                entity: customer
                assignments: {source: assignments, variant: arm}
                window: 7d
                metrics: [revenue]
                quantile_metrics:
                  - {metric: revenue, quantile: 0.9}
                  - {metric: revenu, quantile: 0.5}
                  - {metric: conversion_rate, quantile: 0.5}
                  - {metric: biggest_order, quantile: 0.99, guardrail: true}
                  - {metric: conversions, quantile: 0.5}
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field).containsExactly(
                tuple("b.yaml#2", 15, "quantile_metrics[1].metric"),
                tuple("b.yaml#2", 16, "quantile_metrics[2].metric"),
                tuple("b.yaml#2", 17, "quantile_metrics[3].metric"),
                tuple("b.yaml#2", 18, "quantile_metrics[4].metric"));
        assertThat(errors.get(0).message()).contains("no metric named 'revenu'").contains("revenue");
        assertThat(errors.get(1).message()).contains("ratio metric").contains("simple metric");
        assertThat(errors.get(2).message()).contains("max").contains("sum, count or count_distinct");
        assertThat(errors.get(3).message()).contains("cannot be measured per customer");
    }

    @Test
    void derivedMetricExpressionsUseTheirInputsNames() {
        List<BundleError> errors = validationErrors(stored, """
                kind: metric
                name: wow
                type: derived
                expr: "(revenue - revenue_prev) / nullif(revenue_prev, 0) + orders"
                metrics: [revenue, {name: revenue, offset: 7d, alias: revenue_prev}]
                """);
        assertThat(errors).extracting(BundleError::line, BundleError::field).containsExactly(tuple(4, "expr"));
        assertThat(errors.get(0).message()).contains("'orders' in expr is not one of the listed metrics");
    }

    @Test
    void driftOnATextFeature() {
        List<BundleError> errors = validationErrors(stored, """
                kind: monitor
                name: plan_drift
                feature_view: customer_profile
                feature: plan
                drift: {baseline: 7d, window: 1d, threshold: 0.2}
                """);
        assertThat(errors).extracting(BundleError::line, BundleError::field).containsExactly(tuple(4, "feature"));
    }

    @Test
    void deletingAReferencedObjectIsCaughtOnTheStoredObjectsThatNeedIt() {
        Map<ObjectKey, CatalogObject> pruned = new LinkedHashMap<>(stored);
        pruned.remove(new ObjectKey(Kind.ENTITY, "customer"));
        ParsedBundle bundle = new ParsedBundle("b.yaml", List.of());
        List<BundleError> errors = List.of();
        try {
            CatalogValidator.validate(pruned, bundle);
        } catch (BundleException e) {
            errors = e.errors();
        }
        // 5 sources map customer, 2 views, 4 simple metrics and the conversion metric name it, and the experiment.
        assertThat(errors).hasSize(13).allSatisfy(e -> {
            assertThat(e.document()).startsWith("stored ");
            assertThat(e.line()).isNull();
            assertThat(e.message()).contains("no entity named 'customer' exists");
        });
        assertThat(errors).extracting(BundleError::document, BundleError::field)
                .contains(tuple("stored feature_view/customer_txn", "entity"),
                        tuple("stored source/txns", "entity_columns.customer"),
                        tuple("stored experiment/checkout_redesign", "entity"));
    }

    @Test
    void aStoredObjectReplacedByTheBundleIsJudgedAsTheBundlesVersion() {
        List<BundleError> errors = validationErrors(stored, """
                kind: source
                name: orders
                table: orders
                timestamp: ordered_at
                """);
        // Without entity_columns, every metric on orders that names customer breaks, and so does the experiment.
        assertThat(errors).extracting(BundleError::document).contains("stored metric/revenue", "stored metric/orders",
                "stored metric/purchases", "stored metric/visit_to_buy", "stored experiment/checkout_redesign");
        assertThat(errors).noneMatch(e -> e.document().equals("b.yaml#1"));
    }

    @Test
    void aSourceReadsParquetByABacktickQuotedPath() {
        valid(stored, """
                kind: source
                name: files
                sql: "select customer_id, at, amount from parquet.`/data/spark out/t.parquet`"
                timestamp: at
                entity_columns: {customer: customer_id}
                ---
                kind: feature_view
                name: file_amounts
                entity: customer
                source: files
                features:
                  - {name: big_amount_1d, column: amount, aggregation: sum, window: 1d, filter: "`amount` > 100"}
                """);
    }
}
