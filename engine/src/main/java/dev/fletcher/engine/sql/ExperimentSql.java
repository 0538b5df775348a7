package dev.fletcher.engine.sql;

import dev.fletcher.catalog.model.Aggregation;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.AnchoredAggregate;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.Measure;
import dev.fletcher.engine.plan.RelativeWindow;
import dev.fletcher.engine.plan.SourceScan;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Experiments on the engine: one row per subject (its variant and its values, each a windowed aggregation anchored
 * at the subject's first assignment), which never leaves the warehouse, and grouped-by-variant sums over it, which
 * are all that does.
 *
 * <p>Subjects: the assignment rows with a key, a time and a variant; a subject's anchor is its earliest assignment;
 * a subject seen in more than one variant is left out (and counted by {@link #excludedStatement}). Values are
 * {@link AnchoredAggregate}s rendered by {@link AnchoredAggregateSql}, one per source, so a source is read once for
 * all the values taken from it; count and sum over no rows give 0.
 *
 * <p>Statistics: {@link #statistics} sums products of shifted values, {@code value - shift} with the shifts as bind
 * parameters, optionally times squared residuals of linear fits whose coefficients are bind parameters too. Every
 * value, literal and sum is a 64-bit float, cast through the dialect.
 */
public final class ExperimentSql {
    /** The variant column of every statistics result; then {@code _fx_n}, then one column per term. */
    public static final String VARIANT = "_fx_variant";

    /**
     * One per-subject value: an aggregation of a source's rows in a window of the subject's anchor.
     *
     * @param keyColumns the source's columns holding the experiment entity's keys
     * @param expr       SQL over the source's columns; null for {@code count} of rows
     * @param filter     the rows that count, or null for all
     */
    public record Value(Source source, List<String> keyColumns, Aggregation aggregation, String expr, String filter,
            RelativeWindow window) {
        public Value {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(aggregation, "aggregation");
            Objects.requireNonNull(window, "window");
            keyColumns = List.copyOf(keyColumns);
        }
    }

    /**
     * A linear fit's residual per subject: {@code y - (b0 + b1·[variant = treatment] + Σ bj·xj)}, on shifted values.
     *
     * @param coefficients intercept, treatment, then one per covariate
     */
    public record Residual(int y, List<Integer> covariates, double[] coefficients) {
        public Residual {
            covariates = List.copyOf(covariates);
            if (coefficients.length != covariates.size() + 2) {
                throw new IllegalArgumentException("a residual needs " + (covariates.size() + 2) + " coefficients, got "
                        + coefficients.length);
            }
        }
    }

    /**
     * A summed product: the shifted values of {@code columns} (repeats allowed), times the squared residual
     * {@code residual} unless it is negative.
     */
    public record Term(int residual, List<Integer> columns) {
        static final int SHIFT = -2;
        static final int EXCLUDED = -3;

        public Term {
            columns = List.copyOf(columns);
        }

        public static Term of(Integer... columns) {
            return new Term(-1, List.of(columns));
        }

        /** The shift the statement itself chose for a value (the mean over all subjects); only without given shifts. */
        public static Term shift(int column) {
            return new Term(SHIFT, List.of(column));
        }

        /** The number of subjects seen in more than one variant; only without given shifts. */
        public static Term excluded() {
            return new Term(EXCLUDED, List.of());
        }

        boolean special() {
            return residual == SHIFT || residual == EXCLUDED;
        }
    }

    private final Dialect dialect;
    private final List<Sql.Cte> subjects = new ArrayList<>();
    private final int values;
    /** The table the per-subject relation was staged in, or null while it is computed inline. */
    private final String stagedIn;

    private ExperimentSql(Dialect dialect, int values, String stagedIn) {
        this.dialect = dialect;
        this.values = values;
        this.stagedIn = stagedIn;
    }

    /**
     * Renders the per-subject relation.
     *
     * @param assignments    the assignment source
     * @param assignmentKeys its columns holding the experiment entity's keys
     * @param variantColumn  its column holding the variant
     * @param values         the per-subject values, referred to by their index afterwards
     */
    public static ExperimentSql render(Source assignments, List<String> assignmentKeys, String variantColumn,
            List<Value> values, Dialect dialect) {
        ExperimentSql sql = new ExperimentSql(dialect, values.size(), null);
        sql.renderSubjects(assignments, assignmentKeys, variantColumn, values);
        return sql;
    }

    /**
     * Creates a warehouse table holding the per-subject relation (the variant and every value of each kept
     * subject), so that the statistics passes read it instead of computing it again each time.
     */
    public Statement stageStatement(String table) {
        requireInline("stage");
        return Statement.of(dialect.createTableAs(table, Sql.with(dialect, subjects, "SELECT * FROM _fx_subjects")));
    }

    /**
     * The same statistics over the per-subject relation staged by {@link #stageStatement} in {@code table}. The
     * staged relation holds no excluded subjects: their count comes from {@link #excludedStatement} of this one.
     */
    public ExperimentSql staged(String table) {
        requireInline("stage");
        ExperimentSql staged = new ExperimentSql(dialect, values, table);
        staged.subjects.add(new Sql.Cte("_fx_subjects", "SELECT * FROM " + dialect.tableName(table)));
        return staged;
    }

    /** Whether the per-subject relation is read from a staged table. */
    public boolean isStaged() {
        return stagedIn != null;
    }

    private void requireInline(String what) {
        if (stagedIn != null) {
            throw new IllegalStateException("cannot " + what + " a relation already staged in " + stagedIn);
        }
    }

    public int values() {
        return values;
    }

    private void renderSubjects(Source assignments, List<String> assignmentKeys, String variantColumn,
            List<Value> values) {
        List<String> keys = new ArrayList<>();
        List<String> select = new ArrayList<>();
        List<String> notNull = new ArrayList<>();
        for (int i = 0; i < assignmentKeys.size(); i++) {
            keys.add("_fx_k" + i);
            select.add("s." + q(assignmentKeys.get(i)) + " AS _fx_k" + i);
            notNull.add("s." + q(assignmentKeys.get(i)) + " IS NOT NULL");
        }
        String time = "s." + q(assignments.timestamp());
        String variant = "s." + q(variantColumn);
        select.add(Sql.timestamp(dialect, time) + " AS _fx_at");
        select.add("CAST(" + variant + " AS " + dialect.stringType() + ") AS " + VARIANT);
        notNull.add(time + " IS NOT NULL");
        notNull.add(variant + " IS NOT NULL");
        subjects.add(new Sql.Cte("_fx_assigned", Select.of(select).from(Sql.relation(dialect, assignments), "s")
                .where(notNull).toString()));
        String keyList = String.join(", ", keys);
        // MIN = MAX tells one variant from several as well as COUNT(DISTINCT), and costs far less.
        subjects.add(new Sql.Cte("_fx_first", "SELECT " + keyList + ", MIN(_fx_at) AS _fx_at, MIN(" + VARIANT + ") AS "
                + VARIANT + ", CASE WHEN MIN(" + VARIANT + ") = MAX(" + VARIANT + ") THEN 1 ELSE 2 END AS _fx_variants"
                + "\nFROM _fx_assigned\nGROUP BY " + keyList));
        // Materialized: the row number must be the same wherever the relation is read.
        subjects.add(new Sql.Cte("_fx_anchors", "SELECT " + dialect.rowNumber(keys) + " AS _fx_row, " + keyList + ", _fx_at, "
                + VARIANT + "\nFROM _fx_first\nWHERE _fx_variants = 1", true));
        subjects.add(new Sql.Cte("_fx_bounds", AnchoredAggregateSql.bounds("_fx_anchors", "_fx_at")));
        AnchoredAggregateSql.Anchors anchors = new AnchoredAggregateSql.Anchors("_fx_anchors", "_fx_row", "_fx_at",
                keys, "_fx_bounds");

        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            bySource.computeIfAbsent(values.get(i).source().name() + "\u0000" + values.get(i).keyColumns(),
                    k -> new ArrayList<>()).add(i);
        }
        List<String> joins = new ArrayList<>();
        String[] columns = new String[values.size()];
        int aggregateNumber = 0;
        for (List<Integer> indexes : bySource.values()) {
            Value first = values.get(indexes.get(0));
            List<String> derived = new ArrayList<>();
            List<Column> described = new ArrayList<>();
            List<Measure> measures = new ArrayList<>();
            for (int index : indexes) {
                Value value = values.get(index);
                String column = null;
                if (value.expr() != null) {
                    column = "_fx_x" + index;
                    derived.add("(" + value.expr() + ") AS " + column);
                    described.add(new Column(column, ColumnKind.FLOATING));
                }
                measures.add(new Measure.Windowed(valueName(index), value.aggregation(), column,
                        column == null ? null : ColumnKind.FLOATING, value.filter(), null, value.window()));
            }
            derived.add(0, "*");
            String scanSql = Select.of(derived).from(Sql.relation(dialect, first.source()), "_fx_s").inline();
            SourceScan scan = new SourceScan(first.source().name(), null, scanSql, first.keyColumns(),
                    first.source().timestamp(), first.source().createdTimestamp(), described);
            String prefix = "_fx_a" + aggregateNumber;
            AnchoredAggregateSql.Rendered rendered = AnchoredAggregateSql.render(
                    new AnchoredAggregate(scan, measures, false), anchors, dialect, prefix);
            subjects.addAll(rendered.ctes());
            joins.add("JOIN " + rendered.relation() + " AS a" + aggregateNumber + " ON a" + aggregateNumber
                    + "._fl_row = a._fx_row");
            for (int index : indexes) {
                columns[index] = "a" + aggregateNumber + "." + q(valueName(index));
            }
            aggregateNumber++;
        }
        StringBuilder select2 = new StringBuilder("SELECT a." + VARIANT);
        for (int i = 0; i < columns.length; i++) {
            select2.append(", ").append(dialect.castToDouble(columns[i])).append(" AS ").append(valueName(i));
        }
        select2.append("\nFROM _fx_anchors AS a");
        joins.forEach(join -> select2.append('\n').append(join));
        subjects.add(new Sql.Cte("_fx_subjects", select2.toString()));
    }

    static String valueName(int index) {
        return "_fx_v" + index;
    }

    /** The number of subjects seen in more than one variant: one row, one column. */
    public Statement excludedStatement() {
        requireInline("count the excluded subjects of");
        return Statement.of(Sql.with(dialect, subjects.subList(0, 2),
                "SELECT CAST(COUNT(*) AS BIGINT) AS _fx_excluded FROM _fx_first WHERE _fx_variants > 1"));
    }

    /**
     * Per variant: the number of subjects and the sum of each term.
     *
     * @param shifts    subtracted from each value before it enters a product (one per value); null: each value's
     *                  mean over all subjects, computed in the same statement and returned by {@link Term#shift}
     * @param variants  only these variants, or null for all
     * @param treatment the variant the residuals' treatment indicator marks (with residuals)
     */
    public Statement statistics(double[] shifts, List<String> variants, String treatment, List<Residual> residuals,
            List<Term> terms) {
        if (shifts != null && shifts.length != values) {
            throw new IllegalArgumentException("need " + values + " shifts, got " + shifts.length);
        }
        if (shifts == null && !residuals.isEmpty()) {
            throw new IllegalArgumentException("residuals need the shifts their coefficients were fitted on");
        }
        TreeSet<Integer> used = new TreeSet<>();
        for (Term term : terms) {
            if (term.special() && shifts != null) {
                throw new IllegalArgumentException("shift and excluded terms need the statement to choose the shifts");
            }
            if (term.residual() == Term.EXCLUDED && stagedIn != null) {
                throw new IllegalArgumentException("a staged relation holds no excluded subjects to count");
            }
            used.addAll(term.columns());
            if (term.residual() >= 0) {
                Residual r = residuals.get(term.residual());
                used.add(r.y());
                used.addAll(r.covariates());
            }
        }
        return ExperimentStatisticsSql.render(dialect, subjects, stagedIn != null, used, shifts, variants, treatment,
                residuals, terms);
    }

    /**
     * Per variant, the {@code probability} quantile of value {@code value} and the order statistics at the ranks
     * np ± z·√(np(1−p)) that bound its confidence interval; the columns are described in
     * {@link ExperimentQuantileSql}. Ranks are taken over each variant's subjects, so nothing per subject leaves.
     *
     * @param z the normal quantile of the interval's level (1.96 for 95%)
     */
    public Statement quantiles(int value, double probability, double z) {
        if (value < 0 || value >= values) {
            throw new IllegalArgumentException("no value " + value + " among " + values);
        }
        if (!(probability > 0 && probability < 1)) {
            throw new IllegalArgumentException("a quantile's probability must be between 0 and 1, got " + probability);
        }
        return ExperimentQuantileSql.render(dialect, subjects, value, probability, z);
    }

    private String q(String identifier) {
        return dialect.quoteIdentifier(identifier);
    }
}
