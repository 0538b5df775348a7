package dev.fletcher.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingSetPlannerTest {
    private static final Catalog CATALOG = Catalog.of(BundleParser.parse("t.yaml", """
            kind: entity
            name: customer
            keys: [customer_id]
            ---
            kind: source
            name: txns
            table: txns
            timestamp: txn_at
            entity_columns: {customer: customer_id}
            ---
            kind: feature_view
            name: v
            entity: customer
            source: txns
            ttl: 2h
            features:
              - {name: latest_amount, column: amount}
              - {name: s, column: amount, aggregation: sum, window: 1d}
              - {name: c, aggregation: count, window: 7d}
              - {name: d2, expr: "d1 + s"}
              - {name: d1, expr: "s / nullif(c, 0)"}
              - {name: unused, column: amount, aggregation: max, window: 30d}
            """).objects().stream().map(ParsedObject::object).toList());

    private static final List<Column> SOURCE = List.of(new Column("customer_id", ColumnKind.STRING),
            new Column("TXN_AT", ColumnKind.TIMESTAMP), new Column("amount", ColumnKind.FLOATING),
            new Column("note", ColumnKind.STRING));

    private static TrainingSetRequest request(String... features) {
        return new TrainingSetRequest(java.util.Arrays.stream(features).map(FeatureRef::parse).toList(),
                new EntityInput.Table("e"), null, false);
    }

    private static TrainingSetPlan plan(List<Column> entityColumns, String... features) {
        return TrainingSetPlanner.plan(TrainingSetPlanner.resolve(CATALOG, request(features)), entityColumns,
                Map.of("txns", SOURCE));
    }

    private static final List<Column> ENTITIES = List.of(new Column("customer_id", ColumnKind.STRING),
            new Column("event_timestamp", ColumnKind.DATE));

    @Test
    void derivedFeaturesAreLayeredByDependencyAndPullInWhatTheyNeed() {
        ResolvedTrainingSet resolved = TrainingSetPlanner.resolve(CATALOG, request("v:d2"));
        ResolvedView view = resolved.views().get(0);
        assertThat(view.computed()).extracting(Feature::name).containsExactly("s", "c");
        assertThat(view.derivedLayers()).hasSize(2);
        assertThat(view.derivedLayers().get(0)).extracting(Feature::name).containsExactly("d1");
        assertThat(view.derivedLayers().get(1)).extracting(Feature::name).containsExactly("d2");
        assertThat(resolved.warehouse()).isEqualTo("default");
    }

    @Test
    void measuresCarryTheirWindowsAndTheScanCoversThemAll() {
        TrainingSetPlan plan = plan(ENTITIES, "v:latest_amount", "v:s", "v:c");
        AnchoredAggregate aggregate = plan.views().get(0).aggregate();
        // Column names resolve to the warehouse's spelling.
        assertThat(aggregate.source().timestamp()).isEqualTo("TXN_AT");
        assertThat(aggregate.latest()).singleElement().satisfies(l -> {
            assertThat(l.window()).isEqualTo(RelativeWindow.asOf(7200L));
            assertThat(l.tiebreak()).containsExactly("amount");
        });
        assertThat(aggregate.windowed()).extracting(Measure::window)
                .containsExactly(RelativeWindow.trailing(86_400), RelativeWindow.trailing(604_800));
        assertThat(aggregate.scanWindow()).isEqualTo(new RelativeWindow(new RelativeWindow.Bound(-604_800, false),
                new RelativeWindow.Bound(0, true)));
        assertThat(plan.outputColumns()).containsExactly("customer_id", "event_timestamp", "v__latest_amount", "v__s",
                "v__c");
        assertThat(plan.timestampKind()).isEqualTo(ColumnKind.DATE);
    }

    @Test
    void windowsSayWhichSideOfTheAnchorTheyCover() {
        assertThat(RelativeWindow.trailing(60)).hasToString("(a - 60s, a]");
        assertThat(RelativeWindow.forward(60)).hasToString("[a, a + 60s)");
        assertThat(RelativeWindow.preceding(60)).hasToString("[a - 60s, a)");
        assertThat(RelativeWindow.asOf(null)).hasToString("(-inf, a]");
        assertThatThrownBy(() -> RelativeWindow.trailing(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Measure.Latest("x", "x", ColumnKind.STRING, null, List.of(),
                RelativeWindow.forward(10))).hasMessageContaining("must end there");
    }

    @Test
    void badRequestsNameWhatToFix() {
        assertThatThrownBy(() -> TrainingSetPlanner.resolve(CATALOG, request("w:s")))
                .isInstanceOf(PlanException.class).hasMessageContaining("unknown feature view 'w'");
        assertThatThrownBy(() -> TrainingSetPlanner.resolve(CATALOG, request("v:zz")))
                .isInstanceOf(PlanException.class).hasMessageContaining("has no feature 'zz'");
        assertThatThrownBy(() -> plan(List.of(new Column("event_timestamp", ColumnKind.TIMESTAMP)), "v:s"))
                .isInstanceOf(PlanException.class).hasMessageContaining("lack key column 'customer_id'");
        assertThatThrownBy(() -> plan(List.of(new Column("customer_id", ColumnKind.STRING),
                new Column("event_timestamp", ColumnKind.INTEGER)), "v:s"))
                .isInstanceOf(PlanException.class).hasMessageContaining("is an integer, not a timestamp");
        assertThatThrownBy(() -> plan(List.of(new Column("customer_id", ColumnKind.STRING),
                new Column("event_timestamp", ColumnKind.TIMESTAMP), new Column("V__S", ColumnKind.INTEGER)), "v:s"))
                .isInstanceOf(PlanException.class).hasMessageContaining("clashes");
        assertThatThrownBy(() -> plan(List.of(new Column("customer_id", ColumnKind.STRING),
                new Column("event_timestamp", ColumnKind.TIMESTAMP), new Column("_fl_row", ColumnKind.INTEGER)), "v:s"))
                .isInstanceOf(PlanException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> TrainingSetPlanner.plan(TrainingSetPlanner.resolve(CATALOG, request("v:s")), ENTITIES,
                Map.of("txns", SOURCE.subList(1, 4))))
                .isInstanceOf(PlanException.class).hasMessageContaining("source 'txns' has no key column 'customer_id'");
        assertThatThrownBy(() -> new EntityInput.TimeRange(java.time.Instant.EPOCH, java.time.Instant.EPOCH))
                .isInstanceOf(PlanException.class).hasMessageContaining("empty");
    }
}
