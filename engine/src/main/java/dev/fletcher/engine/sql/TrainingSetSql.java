package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.ResolvedTrainingSet;
import dev.fletcher.engine.plan.ResolvedView;
import dev.fletcher.engine.plan.TrainingSetPlan;
import dev.fletcher.engine.plan.ViewPlan;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Renders a {@link TrainingSetPlan} as one statement: the entity rows numbered once (so duplicated rows stay
 * distinct), every view computed per row by {@link AnchoredAggregateSql}, derived features layered on top, and
 * the entity rows joined back one to one with their features. Request values (a time range) travel as parameters.
 */
public final class TrainingSetSql {
    private TrainingSetSql() {
    }

    /**
     * The query that yields the entity rows, as a relation: the registered table, the user's {@code entity_sql},
     * or for a time range every (keys, event time) of the requested views' sources in [start, end), or for a
     * snapshot every (changed) entity of those sources at the snapshot's time.
     */
    public static Statement entityRows(ResolvedTrainingSet resolved, Dialect dialect) {
        EntityInput input = resolved.request().entities();
        if (input instanceof EntityInput.Table table) {
            return Statement.of("SELECT * FROM " + dialect.tableName(table.name()));
        }
        if (input instanceof EntityInput.Query query) {
            return Statement.of(Select.of("*").from(Sql.subquery(query.sql()), "_fl_q").inline());
        }
        List<String> keyColumns = resolved.entityKeyColumns();
        Map<String, Source> sources = new LinkedHashMap<>();
        Map<String, Map<String, String>> mapped = new LinkedHashMap<>();
        Map<String, TreeSet<Long>> horizons = new LinkedHashMap<>();
        for (ResolvedView view : resolved.views()) {
            sources.putIfAbsent(view.source().name(), view.source());
            Map<String, String> keys = mapped.computeIfAbsent(view.source().name(), s -> new LinkedHashMap<>());
            for (int i = 0; i < view.entity().keys().size(); i++) {
                keys.putIfAbsent(view.entity().keys().get(i), view.sourceKeyColumns().get(i));
            }
            TreeSet<Long> lengths = horizons.computeIfAbsent(view.source().name(), s -> new TreeSet<>());
            for (Feature feature : view.computed()) {
                if (feature instanceof Feature.Aggregated aggregated) {
                    lengths.add(aggregated.window().seconds());
                } else if (feature instanceof Feature.LatestValue && view.view().ttl() != null) {
                    lengths.add(view.view().ttl().seconds());
                }
            }
        }
        List<String> branches = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        for (Source source : sources.values()) {
            List<String> select = new ArrayList<>();
            Map<String, String> keys = mapped.get(source.name());
            List<String> present = new ArrayList<>();
            for (String key : keyColumns) {
                String column = keys.get(key);
                select.add((column == null ? "NULL" : "s." + dialect.quoteIdentifier(column)) + " AS "
                        + dialect.quoteIdentifier(key));
                if (column != null) {
                    present.add("s." + dialect.quoteIdentifier(column) + " IS NOT NULL");
                }
            }
            String ts = "s." + dialect.quoteIdentifier(source.timestamp());
            List<String> where = new ArrayList<>();
            String anchor = dialect.quoteIdentifier(resolved.request().timestampColumn());
            if (input instanceof EntityInput.TimeRange range) {
                select.add(Sql.timestamp(dialect, ts) + " AS " + anchor);
                where.add(ts + " >= " + dialect.timestampParameter());
                where.add(ts + " < " + dialect.timestampParameter());
                parameters.add(range.start());
                parameters.add(range.end());
            } else {
                EntityInput.Snapshot snapshot = (EntityInput.Snapshot) input;
                select.add(dialect.timestampParameter() + " AS " + anchor);
                parameters.add(snapshot.asOf());
                where.addAll(present);
                where.add(ts + " <= " + dialect.timestampParameter());
                parameters.add(snapshot.asOf());
                if (snapshot.since() != null) {
                    // Entities with new rows, and those with rows that leave a window (or the ttl) between the two.
                    List<String> changed = new ArrayList<>();
                    changed.add(ts + " > " + dialect.timestampParameter());
                    parameters.add(snapshot.since());
                    if (source.createdTimestamp() != null) {
                        changed.add("s." + dialect.quoteIdentifier(source.createdTimestamp()) + " > "
                                + dialect.timestampParameter());
                        parameters.add(snapshot.since());
                    }
                    for (long seconds : horizons.get(source.name())) {
                        changed.add("(" + ts + " >= " + dialect.timestampParameter() + " AND " + ts + " <= "
                                + dialect.timestampParameter() + ")");
                        parameters.add(snapshot.since().minusSeconds(seconds));
                        parameters.add(snapshot.asOf().minusSeconds(seconds));
                    }
                    where.add("(" + String.join(" OR ", changed) + ")");
                }
            }
            branches.add(Select.of(select).distinct().from(Sql.relation(dialect, source), "s").where(where).toString());
        }
        // DISTINCT and UNION, not UNION ALL: an entity at an event time is one row however many source rows share it.
        return new Statement(Select.of("*").fromQuery(String.join("\nUNION\n", branches), "_fl_q").inline(),
                parameters);
    }

    /**
     * The training-set query.
     *
     * @param entityRows what {@link #entityRows} answered for the same request
     * @throws dev.fletcher.spi.NotSupportedException when a feature needs what the warehouse lacks
     */
    public static Statement render(TrainingSetPlan plan, Statement entityRows, Dialect dialect) {
        Statement input = numberedInput(plan, entityRows, dialect);
        return render(plan, new Sql.Cte("_fl_input", input.sql(), true), input.parameters(), dialect);
    }

    /**
     * The entity rows, each with its number {@code _fl_row}: the relation every part of the training set reads.
     * A warehouse that computes a relation once per read gets it as a table first (see
     * {@link Dialect#stagesEntityRows()} and {@link #renderOverTable}).
     */
    public static Statement numberedInput(TrainingSetPlan plan, Statement entityRows, Dialect dialect) {
        return new Statement(Select.of("_fl_i.*", dialect.rowNumber(plan.entityColumns().stream()
                        .map(c -> "_fl_i." + dialect.quoteIdentifier(c.name())).toList()) + " AS _fl_row")
                .fromQuery(entityRows.sql(), "_fl_i").toString(), entityRows.parameters());
    }

    /** The training-set query over a table that holds what {@link #numberedInput} answered. */
    public static Statement renderOverTable(TrainingSetPlan plan, String table, Dialect dialect) {
        return render(plan, new Sql.Cte("_fl_input", "SELECT * FROM " + dialect.tableName(table)), List.of(),
                dialect);
    }

    private static Statement render(TrainingSetPlan plan, Sql.Cte input, List<Object> parameters, Dialect dialect) {
        List<Sql.Cte> ctes = new ArrayList<>();
        ctes.add(input);
        Map<String, String> anchorKeys = new LinkedHashMap<>();
        for (ViewPlan view : plan.views()) {
            view.anchorKeys().forEach(key -> anchorKeys.computeIfAbsent(key, k -> "_fl_e" + anchorKeys.size()));
        }
        StringBuilder anchor = new StringBuilder("SELECT _fl_row, "
                + Sql.timestamp(dialect, q(dialect, plan.timestampColumn())) + " AS _fl_t");
        anchorKeys.forEach((column, alias) -> anchor.append(", ").append(q(dialect, column)).append(" AS ").append(alias));
        ctes.add(new Sql.Cte("_fl_anchor", anchor.append("\nFROM _fl_input").toString()));
        ctes.add(new Sql.Cte("_fl_bounds", AnchoredAggregateSql.bounds("_fl_anchor", "_fl_t")));

        Map<String, String> viewRelations = new LinkedHashMap<>();
        for (int v = 0; v < plan.views().size(); v++) {
            ViewPlan view = plan.views().get(v);
            String prefix = "_fl_v" + v;
            AnchoredAggregateSql.Anchors anchors = new AnchoredAggregateSql.Anchors("_fl_anchor", "_fl_row", "_fl_t",
                    view.anchorKeys().stream().map(anchorKeys::get).toList(), "_fl_bounds");
            AnchoredAggregateSql.Rendered rendered =
                    AnchoredAggregateSql.render(view.aggregate(), anchors, dialect, prefix);
            ctes.addAll(rendered.ctes());
            String relation = rendered.relation();
            for (int layer = 0; layer < view.derivedLayers().size(); layer++) {
                StringBuilder derived = new StringBuilder("SELECT d.*");
                for (Feature.Derived feature : view.derivedLayers().get(layer)) {
                    derived.append(",\n  (").append(dialect.derivedExpression(feature.expr())).append(") AS ").append(q(dialect, feature.name()));
                }
                String next = prefix + "_d" + (layer + 1);
                ctes.add(new Sql.Cte(next, derived.append("\nFROM ").append(relation).append(" AS d").toString()));
                relation = next;
            }
            viewRelations.put(view.view(), relation);
        }

        List<String> select = new ArrayList<>();
        plan.entityColumns().forEach(c -> select.add("i." + q(dialect, c.name())));
        Map<String, String> aliases = new LinkedHashMap<>();
        Map<String, ViewPlan> byName = new LinkedHashMap<>();
        for (ViewPlan view : plan.views()) {
            aliases.put(view.view(), "v" + aliases.size());
            byName.put(view.view(), view);
        }
        for (FeatureRef ref : plan.features()) {
            ViewPlan view = byName.get(ref.view());
            List<String> missing = new ArrayList<>();
            view.anchorKeys().forEach(key -> missing.add("i." + q(dialect, key) + " IS NULL"));
            missing.add("i." + q(dialect, plan.timestampColumn()) + " IS NULL");
            // A row without a key (or time) has no features, not zero counts.
            select.add("CASE WHEN " + String.join(" OR ", missing) + " THEN NULL ELSE " + aliases.get(ref.view()) + "."
                    + q(dialect, ref.feature()) + " END AS " + q(dialect, ref.column()));
        }
        StringBuilder body = new StringBuilder("SELECT ").append(String.join(",\n  ", select))
                .append("\nFROM _fl_input AS i");
        aliases.forEach((view, alias) -> body.append("\nLEFT JOIN ").append(viewRelations.get(view)).append(" AS ")
                .append(alias).append(" ON ").append(alias).append("._fl_row = i._fl_row"));
        return new Statement(Sql.with(dialect, ctes, body.toString()), parameters);
    }

    private static String q(Dialect dialect, String identifier) {
        return dialect.quoteIdentifier(identifier);
    }
}
