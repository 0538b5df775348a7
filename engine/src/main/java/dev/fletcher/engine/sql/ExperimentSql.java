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
 *
 * <p>Breakdowns are the same sums grouped by one more key, {@link #GROUP}: {@link #renderSliced} adds each subject's
 * slice (a point-in-time lookup at its anchor), {@link #renderDaily} makes a row per subject and day with outcomes
 * clipped at the day's end, and {@link #groupedStatistics} sums by (group, variant).
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
     * @param byGroup      in grouped statistics, each group's own coefficients (a group without any has no
     *                     residual); null otherwise. Keys are the group values the statistics returned.
     */
    public record Residual(int y, List<Integer> covariates, double[] coefficients, Map<Object, double[]> byGroup) {
        public Residual {
            covariates = List.copyOf(covariates);
            if (byGroup != null) {
                byGroup = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byGroup));
                for (double[] c : byGroup.values()) {
                    check(c, covariates.size());
                }
            } else {
                check(coefficients, covariates.size());
            }
        }

        public Residual(int y, List<Integer> covariates, double[] coefficients) {
            this(y, covariates, coefficients, null);
        }

        /** A residual of grouped statistics, with each group's own fit. */
        public static Residual byGroup(int y, List<Integer> covariates, Map<Object, double[]> coefficients) {
            return new Residual(y, covariates, null, Objects.requireNonNull(coefficients, "coefficients"));
        }

        private static void check(double[] coefficients, int covariates) {
            if (coefficients.length != covariates + 2) {
                throw new IllegalArgumentException("a residual needs " + (covariates + 2) + " coefficients, got "
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

    /**
     * What subjects are sliced by: the value of a source column in the newest of the subject's rows visible at its
     * anchor (a feature view's latest value, or the assignment row that anchors the subject), read by the same
     * point-in-time lookup as training sets.
     *
     * @param scan   the source, with the columns the warehouse describes for it
     * @param column the column whose value names the slice
     * @param window which rows are visible: as of the anchor, no older than a feature view's ttl
     */
    public record Slice(SourceScan scan, String column, List<String> tiebreak, RelativeWindow window) {
        public Slice {
            Objects.requireNonNull(scan, "scan");
            Objects.requireNonNull(column, "column");
            tiebreak = List.copyOf(tiebreak);
        }
    }

    /** The group column of a grouped statistics result (a slice value as text, or a day's start). */
    public static final String GROUP = "_fx_group";

    /** What the per-subject relation's {@link #GROUP} holds. */
    public enum Grouping {
        /** No group column. */
        NONE,
        /** Each subject's slice value, as text. */
        SLICE,
        /** One row per subject and day, the day's start (UTC): the values clipped at the day's end. */
        DAY
    }

    private final Dialect dialect;
    private final List<Sql.Cte> subjects = new ArrayList<>();
    /** Bind parameters of the per-subject relation's expressions, in text order. */
    private final List<Object> subjectParameters = new ArrayList<>();
    private final int values;
    private final Grouping grouping;
    /** The table the per-subject relation was staged in, or null while it is computed inline. */
    private final String stagedIn;

    private ExperimentSql(Dialect dialect, int values, Grouping grouping, String stagedIn) {
        this.dialect = dialect;
        this.values = values;
        this.grouping = grouping;
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
        ExperimentSql sql = new ExperimentSql(dialect, values.size(), Grouping.NONE, null);
        sql.renderSubjects(assignments, assignmentKeys, variantColumn, values, null, null);
        return sql;
    }

    /** The per-subject relation with each subject's slice value in {@link #GROUP}, as text (null stays null). */
    public static ExperimentSql renderSliced(Source assignments, List<String> assignmentKeys, String variantColumn,
            List<Value> values, Slice slice, Dialect dialect) {
        ExperimentSql sql = new ExperimentSql(dialect, values.size(), Grouping.SLICE, null);
        sql.renderSubjects(assignments, assignmentKeys, variantColumn, values, Objects.requireNonNull(slice, "slice"),
                null);
        return sql;
    }

    /**
     * One row per subject and day, from the day of the first assignment (UTC) to the day the last outcome window
     * ends, or the day of {@code until} when that is earlier: on day d, the subjects assigned before d ends, each
     * outcome value (a window reaching past the anchor) over [a, min(a + window, end of d)), covariates as usual.
     * {@link #GROUP} holds the day's start.
     */
    public static ExperimentSql renderDaily(Source assignments, List<String> assignmentKeys, String variantColumn,
            List<Value> values, java.time.Instant until, Dialect dialect) {
        ExperimentSql sql = new ExperimentSql(dialect, values.size(), Grouping.DAY, null);
        sql.renderSubjects(assignments, assignmentKeys, variantColumn, values, null,
                Objects.requireNonNull(until, "until"));
        return sql;
    }

    /** The statement describing a source's columns ({@code SELECT *} over it), to plan a slice. */
    public static Statement describeStatement(Source source, Dialect dialect) {
        return Statement.of("SELECT * FROM " + Sql.relation(dialect, source) + " AS s");
    }

    public Grouping grouping() {
        return grouping;
    }

    /**
     * Creates a warehouse table holding the per-subject relation (the variant and every value of each kept
     * subject), so that the statistics passes read it instead of computing it again each time.
     */
    public Statement stageStatement(String table) {
        requireInline("stage");
        return new Statement(dialect.createTableAs(table, Sql.with(dialect, subjects, "SELECT * FROM _fx_subjects")),
                subjectParameters);
    }

    /**
     * The same statistics over the per-subject relation staged by {@link #stageStatement} in {@code table}. The
     * staged relation holds no excluded subjects: their count comes from {@link #excludedStatement} of this one.
     */
    public ExperimentSql staged(String table) {
        requireInline("stage");
        ExperimentSql staged = new ExperimentSql(dialect, values, grouping, table);
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
            List<Value> values, Slice slice, java.time.Instant until) {
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

        // By day, outcome values (windows reaching past the anchor) are read per subject and day, clipped at the
        // day's end; everything else per subject.
        List<Integer> perSubject = new ArrayList<>();
        List<Integer> clipped = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            (until != null && values.get(i).window().upper().offsetSeconds() > 0 ? clipped : perSubject).add(i);
        }
        String[] columns = new String[values.size()];
        List<String> joins = new ArrayList<>();
        String row = "a._fx_row";
        String from = "_fx_anchors AS a";
        if (until != null) {
            renderDays(keys, values, clipped, until);
            from = "_fx_daily AS a";
            AnchoredAggregateSql.Anchors daily = new AnchoredAggregateSql.Anchors("_fx_daily", "_fx_drow", "_fx_cut",
                    keys, "_fx_dbounds", "_fx_at", false);
            RelativeWindow toCut = new RelativeWindow(null, new RelativeWindow.Bound(0, false));
            aggregates(values, clipped, v -> toCut, daily, "a._fx_drow", "_fx_d", columns, joins);
        }
        aggregates(values, perSubject, Value::window, anchors, row, "_fx_a", columns, joins);
        StringBuilder select2 = new StringBuilder("SELECT a." + VARIANT);
        if (until != null) {
            select2.append(", a._fx_day AS ").append(GROUP);
        }
        if (slice != null) {
            Measure.Latest latest = new Measure.Latest("_fx_slice", slice.column(), slice.scan().kindOf(slice.column()),
                    null, slice.tiebreak(), slice.window());
            AnchoredAggregateSql.Rendered rendered = AnchoredAggregateSql.render(
                    new AnchoredAggregate(slice.scan(), List.of(latest), false), anchors, dialect, "_fx_g");
            subjects.addAll(rendered.ctes());
            joins.add("JOIN " + rendered.relation() + " AS g ON g._fl_row = a._fx_row");
            select2.append(", CAST(g.").append(q("_fx_slice")).append(" AS ").append(dialect.stringType())
                    .append(") AS ").append(GROUP);
        }
        for (int i = 0; i < columns.length; i++) {
            select2.append(", ").append(dialect.castToDouble(columns[i])).append(" AS ").append(valueName(i));
        }
        select2.append("\nFROM ").append(from);
        joins.forEach(join -> select2.append('\n').append(join));
        subjects.add(new Sql.Cte("_fx_subjects", select2.toString()));
    }

    /**
     * {@code _fx_days}, every day from the first assignment's to the last outcome window's end (or {@code until}'s
     * day), and {@code _fx_daily}, a row per subject and day from its assignment's day on, with {@code _fx_cut}, the
     * end of its outcome window clipped at the day's end.
     *
     * @return the outcome window's length in seconds
     */
    private long renderDays(List<String> keys, List<Value> values, List<Integer> clipped, java.time.Instant until) {
        long window = 0;
        for (int index : clipped) {
            RelativeWindow w = values.get(index).window();
            if (!w.equals(RelativeWindow.forward(w.upper().offsetSeconds()))) {
                throw new IllegalArgumentException("values read by day must be outcomes over [a, a + W), got " + w);
            }
            if (window != 0 && window != w.upper().offsetSeconds()) {
                throw new IllegalArgumentException("values read by day must share one outcome window");
            }
            window = w.upper().offsetSeconds();
        }
        String lo = "(SELECT " + dialect.truncate("day", "MIN(_fx_at)") + " FROM _fx_anchors)";
        String last = window == 0 ? "MAX(_fx_at)" : dialect.addSeconds("MAX(_fx_at)", window);
        String hi = "(SELECT " + dialect.truncate("day", "LEAST(" + last + ", " + dialect.timestampParameter() + ")")
                + " FROM _fx_anchors)";
        subjectParameters.add(until);
        subjects.add(new Sql.Cte("_fx_days", Select.of(Sql.timestamp(dialect, "_fl_b") + " AS _fx_day")
                .from(dialect.bucketSeries("day", lo, hi, "_fl_b")).toString()));
        List<String> distinguishing = new ArrayList<>();
        keys.forEach(k -> distinguishing.add("a." + k));
        distinguishing.add("d._fx_day");
        String dayEnd = dialect.addSeconds("d._fx_day", 86_400);
        String cut = window == 0 ? dayEnd : "LEAST(" + dialect.addSeconds("a._fx_at", window) + ", " + dayEnd + ")";
        StringBuilder daily = new StringBuilder("SELECT " + dialect.rowNumber(distinguishing) + " AS _fx_drow, a._fx_row");
        keys.forEach(k -> daily.append(", a.").append(k));
        daily.append(", a._fx_at, a.").append(VARIANT).append(", d._fx_day, ").append(cut).append(" AS _fx_cut")
                .append("\nFROM _fx_anchors AS a\nJOIN _fx_days AS d ON d._fx_day >= ")
                .append(dialect.truncate("day", "a._fx_at"));
        // Materialized: the row number must be the same wherever the relation is read.
        subjects.add(new Sql.Cte("_fx_daily", daily.toString(), true));
        subjects.add(new Sql.Cte("_fx_dbounds", AnchoredAggregateSql.bounds("_fx_daily", "_fx_cut")));
        return window;
    }

    /**
     * Renders the values {@code indexes} over {@code anchors}, one aggregate per source (a source is read once for
     * all the values taken from it), each joined on {@code row}; fills in their columns.
     */
    private void aggregates(List<Value> values, List<Integer> indexes, java.util.function.Function<Value,
            RelativeWindow> windowOf, AnchoredAggregateSql.Anchors anchors, String row, String prefix, String[] columns,
            List<String> joins) {
        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        for (int i : indexes) {
            bySource.computeIfAbsent(values.get(i).source().name() + "\u0000" + values.get(i).keyColumns(),
                    k -> new ArrayList<>()).add(i);
        }
        int aggregateNumber = 0;
        for (List<Integer> group : bySource.values()) {
            Value first = values.get(group.get(0));
            List<String> derived = new ArrayList<>();
            List<Column> described = new ArrayList<>();
            List<Measure> measures = new ArrayList<>();
            for (int index : group) {
                Value value = values.get(index);
                String column = null;
                if (value.expr() != null) {
                    column = "_fx_x" + index;
                    derived.add("(" + value.expr() + ") AS " + column);
                    described.add(new Column(column, ColumnKind.FLOATING));
                }
                measures.add(new Measure.Windowed(valueName(index), value.aggregation(), column,
                        column == null ? null : ColumnKind.FLOATING, value.filter(), null, windowOf.apply(value)));
            }
            derived.add(0, "*");
            String scanSql = Select.of(derived).from(Sql.relation(dialect, first.source()), "_fx_s").inline();
            SourceScan scan = new SourceScan(first.source().name(), null, scanSql, first.keyColumns(),
                    first.source().timestamp(), first.source().createdTimestamp(), described);
            String name = prefix + aggregateNumber;
            String alias = name.substring("_fx_".length());
            AnchoredAggregateSql.Rendered rendered = AnchoredAggregateSql.render(
                    new AnchoredAggregate(scan, measures, false), anchors, dialect, name);
            subjects.addAll(rendered.ctes());
            joins.add("JOIN " + rendered.relation() + " AS " + alias + " ON " + alias + "._fl_row = " + row);
            for (int index : group) {
                columns[index] = alias + "." + q(valueName(index));
            }
            aggregateNumber++;
        }
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
        if (grouping == Grouping.DAY) {
            throw new IllegalStateException("a relation by day holds a row per subject and day: group its statistics");
        }
        return statistics(false, shifts, variants, treatment, residuals, terms);
    }

    /**
     * Per group ({@link #GROUP}, first column) and variant: the number of subjects and the sum of each term, as
     * {@link #statistics} has them; the shifts are given, and residuals carry their coefficients by group.
     */
    public Statement groupedStatistics(double[] shifts, List<String> variants, String treatment,
            List<Residual> residuals, List<Term> terms) {
        if (grouping == Grouping.NONE) {
            throw new IllegalStateException("the per-subject relation has no group to sum by");
        }
        Objects.requireNonNull(shifts, "grouped statistics need given shifts");
        for (Residual r : residuals) {
            if (r.byGroup() == null) {
                throw new IllegalArgumentException("grouped statistics need each group's coefficients");
            }
        }
        return statistics(true, shifts, variants, treatment, residuals, terms);
    }

    private Statement statistics(boolean grouped, double[] shifts, List<String> variants, String treatment,
            List<Residual> residuals, List<Term> terms) {
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
        return ExperimentStatisticsSql.render(dialect, subjects, stagedIn != null ? List.of() : subjectParameters,
                stagedIn != null, grouped ? grouping : Grouping.NONE, used, shifts, variants, treatment, residuals,
                terms);
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
