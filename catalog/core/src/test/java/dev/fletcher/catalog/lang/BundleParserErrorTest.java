package dev.fletcher.catalog.lang;

import static dev.fletcher.catalog.lang.Bundles.parseErrors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureView;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per kind of mistake a single document can hold; each checks document, line and field. */
class BundleParserErrorTest {

    private static BundleError only(List<BundleError> errors) {
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

    private static void at(BundleError error, String document, Integer line, String field) {
        assertThat(error.document()).isEqualTo(document);
        assertThat(error.line()).isEqualTo(line);
        assertThat(error.field()).isEqualTo(field);
    }

    @Test
    void yamlSyntaxErrorNamesItsLineAndOtherDocumentsAreStillChecked() {
        List<BundleError> errors = parseErrors("""
                kind: entity
                name: customer
                keys: [customer_id
                ---
                kind: entity
                name: Bad
                keys: [id]
                """);
        assertThat(errors).hasSize(2);
        at(errors.get(0), "b.yaml#1", 4, null);
        assertThat(errors.get(0).message()).startsWith("not valid YAML");
        at(errors.get(1), "b.yaml#2", 6, "name");
    }

    @Test
    void badIndentationIsASyntaxError() {
        BundleError error = only(parseErrors("""
                kind: entity
                name: customer
                  keys: [id]
                """));
        at(error, "b.yaml#1", 3, null);
        assertThat(error.message()).contains("not valid YAML");
    }

    @Test
    void aDocumentMustBeAMapping() {
        List<BundleError> errors = parseErrors("""
                kind: entity
                name: customer
                keys: [id]
                ---
                - kind: entity
                ---
                just text
                """);
        assertThat(errors).hasSize(2);
        at(errors.get(0), "b.yaml#2", 5, null);
        assertThat(errors.get(0).message()).contains("expected a mapping").contains("a list");
        at(errors.get(1), "b.yaml#3", 7, null);
    }

    @Test
    void missingKind() {
        BundleError error = only(parseErrors("""
                name: customer
                keys: [id]
                """));
        at(error, "b.yaml#1", 1, "kind");
        assertThat(error.message()).contains("missing required field 'kind'").contains("feature_view");
    }

    @Test
    void unknownKindSuggestsTheClosest() {
        BundleError error = only(parseErrors("""
                kind: metrics
                name: revenue
                """));
        at(error, "b.yaml#1", 1, "kind");
        assertThat(error.message()).contains("unknown kind 'metrics'").contains("did you mean 'metric'?");
    }

    @Test
    void unknownFieldSuggestsTheClosest() {
        List<BundleError> errors = parseErrors("""
                kind: feature_view
                name: v
                entity: customer
                source: txns
                features:
                  - name: amount_sum
                    column: amount
                    aggregation: sum
                    windw: 1h
                """);
        // The aggregation now lacks its window, but the typo already says why: one error, not two.
        at(only(errors), "b.yaml#1", 9, "features[0].windw");
        assertThat(errors.get(0).message()).contains("unknown field 'windw'").contains("did you mean 'window'?");
    }

    @Test
    void fieldOfAnotherMetricTypeSaysWhereItBelongs() {
        BundleError error = only(parseErrors("""
                kind: metric
                name: revenue
                source: orders
                measure: {agg: sum, expr: revenue}
                numerator: orders
                """));
        at(error, "b.yaml#1", 5, "numerator");
        assertThat(error.message()).contains("does not belong to a simple metric").contains("ratio");
    }

    @Test
    void missingRequiredFields() {
        List<BundleError> errors = parseErrors("""
                kind: experiment
                name: checkout
                entity: customer
                assignments: {source: assignments}
                window: 14d
                """);
        assertThat(errors).hasSize(2);
        at(errors.get(0), "b.yaml#1", 4, "assignments.variant");
        assertThat(errors.get(0).message()).contains("missing required field 'variant'");
        at(errors.get(1), "b.yaml#1", 1, "metrics");
    }

    @Test
    void badNames() {
        List<BundleError> errors = parseErrors("""
                kind: entity
                name: Customer
                keys: [id]
                ---
                kind: feature_view
                name: v
                entity: customer
                source: 9txns
                features:
                  - {name: amount-sum, column: amount}
                """);
        assertThat(errors).hasSize(3);
        at(errors.get(0), "b.yaml#1", 2, "name");
        assertThat(errors.get(0).message()).contains("'Customer' is not a valid name");
        at(errors.get(1), "b.yaml#2", 8, "source");
        at(errors.get(2), "b.yaml#2", 10, "features[0].name");
    }

    @Test
    void aNameLongerThan63CharactersIsRejected() {
        String name = "a".repeat(64);
        BundleError error = only(parseErrors("kind: entity\nname: " + name + "\nkeys: [id]\n"));
        at(error, "b.yaml#1", 2, "name");
        // 63 characters is still fine
        BundleParser.parse("ok.yaml", "kind: entity\nname: " + name.substring(1) + "\nkeys: [id]\n");
    }

    @Test
    void badDurations() {
        List<BundleError> errors = parseErrors("""
                kind: feature_view
                name: v
                entity: customer
                source: txns
                ttl: 30 days
                features:
                  - {name: s, column: amount, aggregation: sum, window: 1y}
                  - {name: t, column: amount, aggregation: sum, window: 0h}
                """);
        assertThat(errors).hasSize(3);
        at(errors.get(0), "b.yaml#1", 5, "ttl");
        assertThat(errors.get(0).message()).contains("'30 days' is not a duration").contains("14d");
        at(errors.get(1), "b.yaml#1", 7, "features[0].window");
        at(errors.get(2), "b.yaml#1", 8, "features[1].window");
        assertThat(errors.get(2).message()).contains("longer than 0");
    }

    @Test
    void wrongValueTypes() {
        List<BundleError> errors = parseErrors("""
                kind: entity
                name: customer
                keys: customer_id
                ---
                kind: source
                name: txns
                table: [txns]
                timestamp: txn_at
                entity_columns: customer
                ---
                kind: feature_view
                name: v
                entity: customer
                source: txns
                online: maybe
                features: {name: x}
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field).containsExactly(
                tuple("b.yaml#1", 3, "keys"),
                tuple("b.yaml#2", 7, "table"),
                tuple("b.yaml#2", 9, "entity_columns"),
                tuple("b.yaml#3", 15, "online"),
                tuple("b.yaml#3", 16, "features"));
        assertThat(errors.get(0).message()).isEqualTo("expected a list, found 'customer_id'");
        assertThat(errors.get(1).message()).isEqualTo("expected text, found a list");
        assertThat(errors.get(2).message()).contains("expected a mapping");
        assertThat(errors.get(3).message()).contains("expected true or false");
        assertThat(errors.get(4).message()).contains("expected a list, found a mapping");
    }

    @Test
    void anAggregationNeedsAWindow() {
        BundleError error = only(parseErrors("""
                kind: feature_view
                name: v
                entity: customer
                source: txns
                features:
                  - {name: ok, column: amount, aggregation: sum, window: 1h}
                  - {name: amount_sum, column: amount, aggregation: sum}
                """));
        at(error, "b.yaml#1", 7, "features[1].window");
        assertThat(error.message()).contains("missing required field 'window'").contains("aggregation needs a window");
    }

    @Test
    void aWindowOnALatestValueFeature() {
        BundleError error = only(parseErrors("""
                kind: feature_view
                name: v
                entity: customer
                source: profiles
                features:
                  - name: plan
                    column: plan
                    window: 7d
                """));
        at(error, "b.yaml#1", 8, "features[0].window");
        assertThat(error.message()).contains("needs an aggregation").contains("ttl");
    }

    @Test
    void anAggregationOtherThanCountNeedsAColumn() {
        BundleError error = only(parseErrors("""
                kind: feature_view
                name: v
                entity: customer
                source: txns
                features:
                  - {name: n, aggregation: count, window: 1d}
                  - {name: s, aggregation: sum, window: 1d}
                """));
        at(error, "b.yaml#1", 7, "features[1].column");
    }

    @Test
    void percentileGoesWithApproxPercentileOnly() {
        List<BundleError> errors = parseErrors("""
                kind: feature_view
                name: v
                entity: customer
                source: txns
                features:
                  - {name: p, column: amount, aggregation: approx_percentile, window: 1d}
                  - {name: q, column: amount, aggregation: approx_percentile, window: 1d, percentile: 95}
                  - {name: r, column: amount, aggregation: max, window: 1d, percentile: 0.5}
                """);
        assertThat(errors).extracting(BundleError::field)
                .containsExactly("features[0].percentile", "features[1].percentile", "features[2].percentile");
        assertThat(errors).extracting(BundleError::line).containsExactly(6, 7, 8);
        assertThat(errors.get(1).message()).contains("between 0 and 1");
    }

    @Test
    void derivedFeatureTakesNoColumnOrWindow() {
        BundleError error = only(parseErrors("""
                kind: feature_view
                name: v
                entity: customer
                source: txns
                features:
                  - {name: d, expr: "a + 1", window: 1d}
                """));
        at(error, "b.yaml#1", 6, "features[0].window");
    }

    @Test
    void aDeclaredTypeMustFitTheAggregation() {
        BundleError error = only(parseErrors("""
                kind: feature_view
                name: v
                entity: customer
                source: txns
                features:
                  - {name: s, column: amount, aggregation: sum, window: 1d, type: string}
                """));
        at(error, "b.yaml#1", 6, "features[0].type");
        assertThat(error.message()).contains("cannot be of type string");
    }

    @Test
    void aSourceNeedsATimestamp() {
        BundleError error = only(parseErrors("""
                kind: source
                name: txns
                table: txns
                entity_columns: {customer: customer_id}
                """));
        at(error, "b.yaml#1", 1, "timestamp");
        assertThat(error.message()).contains("missing required field 'timestamp'").contains("event time");
    }

    @Test
    void tableAndSqlBothOrNeither() {
        List<BundleError> errors = parseErrors("""
                kind: source
                name: both
                table: txns
                sql: select * from txns
                timestamp: txn_at
                ---
                kind: source
                name: neither
                timestamp: txn_at
                """);
        assertThat(errors).hasSize(2);
        at(errors.get(0), "b.yaml#1", 4, "sql");
        assertThat(errors.get(0).message()).contains("not both");
        at(errors.get(1), "b.yaml#2", 7, "table");
        assertThat(errors.get(1).message()).contains("a table").contains("sql");
    }

    @Test
    void duplicateNamesOfOneKindInABundle() {
        BundleError error = only(parseErrors("""
                kind: entity
                name: customer
                keys: [id]
                ---
                kind: source
                name: customer
                table: customers
                timestamp: updated_at
                ---
                kind: entity
                name: customer
                keys: [customer_id]
                """));
        at(error, "b.yaml#3", 11, "name");
        assertThat(error.message()).contains("entity 'customer' is defined twice").contains("b.yaml#1").contains("line 2");
    }

    @Test
    void duplicateFeatureNamesInAView() {
        BundleError error = only(parseErrors("""
                kind: feature_view
                name: v
                entity: customer
                source: txns
                features:
                  - {name: amount, column: amount}
                  - {name: amount, column: amount, aggregation: sum, window: 1d}
                """));
        at(error, "b.yaml#1", 7, "features[1].name");
        assertThat(error.message()).contains("defined twice").contains("line 6");
    }

    @Test
    void aFieldGivenTwice() {
        BundleError error = only(parseErrors("""
                kind: entity
                name: customer
                keys: [id]
                name: client
                """));
        at(error, "b.yaml#1", 4, "name");
        assertThat(error.message()).contains("given twice").contains("line 2");
    }

    @Test
    void badEnumValuesListTheAllowedOnes() {
        List<BundleError> errors = parseErrors("""
                kind: feature_view
                name: v
                entity: customer
                source: txns
                features:
                  - {name: a, column: amount, aggregation: median, window: 1d}
                  - {name: b, column: amount, type: double}
                ---
                kind: metric
                name: m
                type: rate
                ---
                kind: metric
                name: n
                source: orders
                measure: {agg: stddev, expr: revenue}
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field).containsExactly(
                tuple("b.yaml#1", 6, "features[0].aggregation"),
                tuple("b.yaml#1", 7, "features[1].type"),
                tuple("b.yaml#2", 11, "type"),
                tuple("b.yaml#3", 16, "measure.agg"));
        assertThat(errors.get(0).message()).contains("'median'").contains("sum, count, count_distinct, avg, min, max,"
                + " stddev, variance, last, approx_percentile");
        assertThat(errors.get(1).message()).contains("string, int32, int64, float32, float64, bool, timestamp, date");
        assertThat(errors.get(2).message()).contains("simple, ratio, derived, cumulative, conversion");
        assertThat(errors.get(3).message()).contains("use one of: sum, count, count_distinct, avg, min, max");
    }

    @Test
    void emptyDocumentsAreIgnoredAndNotCounted() {
        ParsedBundle bundle = BundleParser.parse("b.yaml", """
                # only a comment
                ---
                ---
                kind: entity
                name: customer
                keys: [id]
                ---

                ---
                kind: entity
                name: lead
                keys: [lead_id]
                ...
                """);
        assertThat(bundle.objects()).extracting(ParsedObject::document).containsExactly("b.yaml#1", "b.yaml#2");
        assertThat(bundle.objects()).extracting(ParsedObject::line).containsExactly(4, 10);
        assertThat(BundleParser.parse("empty.yaml", "\n# nothing\n").objects()).isEmpty();
    }

    @Test
    void windowsLineEndingsKeepLineNumbers() {
        BundleError error = only(parseErrors("kind: entity\r\nname: customer\r\nkeys: [id]\r\n---\r\nkind: entity\r\nname: x\r\n"));
        at(error, "b.yaml#2", 5, "keys");
        assertThat(error.message()).contains("missing required field 'keys'");
    }

    @Test
    void everyErrorOfEveryDocumentIsReportedAtOnce() {
        List<BundleError> errors = parseErrors("""
                kind: entity
                name: customer
                ---
                kind: source
                name: txns
                table: txns
                ---
                kind: metric
                name: revenue
                source: orders
                measure: {agg: sum}
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::field).containsExactly(
                tuple("b.yaml#1", "keys"),
                tuple("b.yaml#2", "timestamp"),
                tuple("b.yaml#3", "measure.expr"));
    }

    @Test
    void cumulativeWithBothWindowAndGrainToDate() {
        BundleError error = only(parseErrors("""
                kind: metric
                name: revenue_mtd
                type: cumulative
                metric: revenue
                window: 28d
                grain_to_date: month
                """));
        at(error, "b.yaml#1", 6, "grain_to_date");
        assertThat(error.message()).contains("not both");
    }

    @Test
    void derivedMetricInputsNeedDistinctNames() {
        BundleError error = only(parseErrors("""
                kind: metric
                name: growth
                type: derived
                expr: revenue / revenue
                metrics:
                  - revenue
                  - {name: revenue, offset: 7d}
                """));
        at(error, "b.yaml#1", 7, "metrics[1]");
        assertThat(error.message()).contains("give one an alias");
    }

    @Test
    void thresholdMonitorNeedsBelowOrAbove() {
        List<BundleError> errors = parseErrors("""
                kind: monitor
                name: accuracy
                metric: prediction_accuracy
                window: 3h
                alert: {}
                ---
                kind: monitor
                name: band
                metric: prediction_accuracy
                window: 3h
                alert: {below: 0.9, above: 0.8}
                ---
                kind: monitor
                name: typo
                metric: prediction_accuracy
                window: 3h
                alert: {bellow: 0.9}
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field).containsExactly(
                tuple("b.yaml#1", 5, "alert"),
                tuple("b.yaml#2", 11, "alert.above"),
                tuple("b.yaml#3", 17, "alert.bellow"),
                tuple("b.yaml#3", 17, "alert"));
        assertThat(errors.get(0).message()).contains("below").contains("above");
        assertThat(errors.get(2).message()).contains("did you mean 'below'?");
    }

    @Test
    void driftMonitorWatchesExactlyOnePair() {
        List<BundleError> errors = parseErrors("""
                kind: monitor
                name: both
                feature_view: customer_txn
                feature: amount_avg_7d
                source: txns
                column: amount
                drift: {method: psi, baseline: 7d, window: 1d, threshold: 0.2}
                ---
                kind: monitor
                name: half
                feature_view: customer_txn
                drift: {method: ks, baseline: 7d, window: 1d, threshold: 0.1, bins: 5}
                ---
                kind: monitor
                name: misplaced
                source: txns
                column: amount
                window: 1d
                drift: {method: psi, baseline: 7d, threshold: 0.2}
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field).containsExactly(
                tuple("b.yaml#1", 1, null),
                tuple("b.yaml#2", 9, "feature"),
                tuple("b.yaml#2", 12, "drift.bins"),
                tuple("b.yaml#3", 18, "window"),
                tuple("b.yaml#3", 19, "drift.window"));
        assertThat(errors.get(0).message()).contains("not both");
        assertThat(errors.get(3).message()).contains("inside drift");
    }

    @Test
    void experimentControlMustNotBeBlankAndSplitMustCoverIt() {
        List<BundleError> errors = parseErrors("""
                kind: experiment
                name: blank
                entity: customer
                assignments: {source: assignments, variant: variant}
                control: "  "
                window: 14d
                metrics: [revenue]
                ---
                kind: experiment
                name: split
                entity: customer
                assignments: {source: assignments, variant: variant}
                window: 14d
                metrics: [revenue]
                split: {a: 1, b: 0}
                cuped: {lookbak: 7d}
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field).containsExactly(
                tuple("b.yaml#1", 5, "control"),
                tuple("b.yaml#2", 16, "cuped.lookbak"),
                tuple("b.yaml#2", 15, "split.b"));
        assertThat(errors.get(0).message()).contains("control variant");
    }

    @Test
    void experimentAnalysisSettingsAreCheckedWithTheirLines() {
        List<BundleError> errors = parseErrors("""
                kind: experiment
                name: seq
                entity: customer
                assignments: {source: assignments, variant: variant}
                window: 14d
                metrics: [revenue]
                analysis:
                  sequential: true
                  tuning: -5
                  correction: bonferroni
                  alpha: 0.1
                ---
                kind: experiment
                name: more
                entity: customer
                assignments: {source: assignments, variant: variant}
                window: 14d
                metrics: [revenue, orders]
                guardrail_metrics: [refunds, orders]
                analysis: {tuning: 100, sequential: maybe, bayesian: {prior_sd: 0, prior_mean: x}}
                ---
                kind: experiment
                name: flat
                entity: customer
                assignments: {source: assignments, variant: variant}
                window: 14d
                metrics: [revenue]
                analysis: {bayesian: {prior: false, prior_sd: 0.2, sd: 1}}
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field).containsExactly(
                tuple("b.yaml#1", 11, "analysis.alpha"),
                tuple("b.yaml#1", 9, "analysis.tuning"),
                tuple("b.yaml#1", 10, "analysis.correction"),
                tuple("b.yaml#2", 19, "guardrail_metrics"),
                tuple("b.yaml#2", 20, "analysis.sequential"),
                tuple("b.yaml#2", 20, "analysis.tuning"),
                tuple("b.yaml#2", 20, "analysis.bayesian.prior_mean"),
                tuple("b.yaml#3", 28, "analysis.bayesian.sd"));
        assertThat(errors.get(0).message()).contains("unknown field 'alpha'").contains("sequential, tuning");
        assertThat(errors.get(1).message()).contains("positive number of subjects");
        assertThat(errors.get(2).message()).contains("bonferroni").contains("none, holm, bh");
        assertThat(errors.get(3).message()).contains("'orders' is in both");
        assertThat(errors.get(5).message()).contains("add sequential: true");
    }

    @Test
    void quantileMetricProblems() {
        List<BundleError> errors = parseErrors("""
                kind: experiment
                name: a
                entity: customer
                assignments: {source: assignments, variant: variant}
                window: 14d
                metrics: [revenue]
                quantile_metrics:
                  - {metric: latency_ms, quantile: 1.5}
                  - {metric: latency_ms, quantile: 0.9, guardrail: maybe}
                  - {metric: latency_ms, quantil: 0.9}
                  - latency_ms
                  - {metric: latency_ms, quantile: 0.99}
                  - {metric: latency_ms, quantile: 0.99, guardrail: true}
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field).containsExactly(
                tuple("b.yaml#1", 8, "quantile_metrics[0].quantile"),
                tuple("b.yaml#1", 9, "quantile_metrics[1].guardrail"),
                tuple("b.yaml#1", 10, "quantile_metrics[2].quantil"),
                tuple("b.yaml#1", 11, "quantile_metrics[3]"),
                tuple("b.yaml#1", 13, "quantile_metrics[5]"));
        assertThat(errors.get(0).message()).contains("strictly between 0 and 1").contains("1.5");
        assertThat(errors.get(2).message()).contains("did you mean 'quantile'");
        assertThat(errors.get(3).message()).contains("{metric: latency_ms, quantile: 0.9}");
        assertThat(errors.get(4).message()).contains("already in quantile_metrics[4]");
    }

    @Test
    void bayesianPriorProblems() {
        List<BundleError> errors = parseErrors("""
                kind: experiment
                name: a
                entity: customer
                assignments: {source: assignments, variant: variant}
                window: 14d
                metrics: [revenue]
                analysis: {bayesian: {prior_sd: 0}}
                ---
                kind: experiment
                name: b
                entity: customer
                assignments: {source: assignments, variant: variant}
                window: 14d
                metrics: [revenue]
                analysis: {bayesian: {prior: false, prior_mean: 0}}
                """);
        assertThat(errors).extracting(BundleError::document, BundleError::line, BundleError::field).containsExactly(
                tuple("b.yaml#1", 7, "analysis.bayesian.prior_sd"),
                tuple("b.yaml#2", 15, "analysis.bayesian.prior"));
        assertThat(errors.get(0).message()).contains("greater than 0");
        assertThat(errors.get(1).message()).contains("flat prior");
    }

    @Test
    void splitWithoutTheControlVariant() {
        BundleError error = only(parseErrors("""
                kind: experiment
                name: split
                entity: customer
                assignments: {source: assignments, variant: variant}
                window: 14d
                metrics: [revenue]
                split: {a: 1, b: 3}
                """));
        at(error, "b.yaml#1", 7, "split");
        assertThat(error.message()).contains("'control'");
    }

    @Test
    void featureViewAndFeatureNamesMayNotHoldTheSeparator() {
        List<BundleError> errors = parseErrors("""
                kind: feature_view
                name: customer__txn
                entity: customer
                source: txns
                features:
                  - {name: a__b, column: amount}
                """);
        assertThat(errors).extracting(BundleError::line, BundleError::field)
                .containsExactly(tuple(2, "name"),
                        tuple(6, "features[0].name"));
    }

    @Test
    void aLatestValueFeatureReadsTheColumnOfItsNameUnlessToldOtherwise() {
        ParsedBundle bundle = BundleParser.parse("b.yaml", """
                kind: feature_view
                name: profile
                entity: customer
                source: profiles
                features: [{name: plan}, {name: limit_eur, column: credit_limit, description: in euros}]
                """);
        FeatureView view = (FeatureView) bundle.objects().get(0).object();
        assertThat(view.features()).containsExactly(new Feature.LatestValue("plan", "plan", null, null),
                new Feature.LatestValue("limit_eur", "credit_limit", null, "in euros"));
        assertThat(view.online()).isFalse();
    }
}
