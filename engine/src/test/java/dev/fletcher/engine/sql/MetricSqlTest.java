package dev.fletcher.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.MetricFilter;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.MetricQuery;
import dev.fletcher.engine.plan.PlanException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rendering asks nothing of a warehouse: all it knows of the data is the columns it is given. */
class MetricSqlTest {
    private static final Catalog CATALOG = Catalog.of(BundleParser.parse("m.yaml", """
            kind: source
            name: sales
            table: sales
            timestamp: sold_at
            ---
            kind: metric
            name: units
            source: sales
            measure: {agg: sum, expr: quantity}
            dimensions: [region]
            """).objects().stream().map(ParsedObject::object).toList());
    private static final List<Column> SALES = List.of(new Column("region", ColumnKind.STRING),
            new Column("sold_at", ColumnKind.TIMESTAMP), new Column("quantity", ColumnKind.INTEGER));
    private static final List<Column> ROWS = List.of(new Column("region", ColumnKind.STRING),
            new Column("sold_at", ColumnKind.TIMESTAMP), new Column("quantity", ColumnKind.INTEGER),
            new Column("_fl_ts", ColumnKind.TIMESTAMP), new Column("_fl_x0", ColumnKind.INTEGER));

    private static MetricPlan plan(List<MetricFilter> where) {
        return MetricPlanner.resolve(CATALOG, new MetricQuery(List.of("units"), List.of("region"), where,
                Instant.parse("2026-03-01T00:00:00Z"), null, false, List.of(), null, false));
    }

    @Test
    void theDescribedKindsChooseTheSpelling() {
        MetricSql sql = MetricSql.render(CATALOG, plan(List.of()), StandardDialect.INSTANCE,
                new MetricColumns(Map.of("sales", SALES), Map.of("sales", ROWS)));
        // A sum of integers stays an integer, and text sorts byte by byte.
        assertThat(sql.statement().sql()).contains("CAST(SUM(_fl_x0) AS BIGINT) AS _fl_v")
                .contains("\"region\" COLLATE \"C\" ASC NULLS LAST");
        assertThat(sql.statement().parameters()).containsExactly(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(sql.columns()).containsExactly("region", "units");
    }

    @Test
    void whereValuesAreCheckedAgainstTheDescribedKinds() {
        assertThatThrownBy(() -> MetricSql.render(CATALOG, plan(List.of(new MetricFilter("region",
                MetricFilter.Op.EQ, List.of(5L)))), StandardDialect.INSTANCE,
                new MetricColumns(Map.of("sales", SALES), Map.of("sales", ROWS))))
                .isInstanceOf(PlanException.class).hasMessageContaining("holds text");
    }

    @Test
    void aRelationNotDescribedIsAnError() {
        assertThatThrownBy(() -> MetricSql.render(CATALOG, plan(List.of()), StandardDialect.INSTANCE,
                new MetricColumns(Map.of("sales", SALES), Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no description of the rows of source 'sales'");
    }
}
