package dev.fletcher.conformance.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Aggregation;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.DriftMethod;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.ResolvedTrainingSet;
import dev.fletcher.engine.plan.MetricPlan;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.RelativeWindow;
import dev.fletcher.engine.plan.SourceScan;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.engine.sql.DriftSql;
import dev.fletcher.engine.sql.ExperimentSql;
import dev.fletcher.engine.sql.MetricSql;
import dev.fletcher.engine.sql.TrainingSetColumns;
import dev.fletcher.engine.sql.TrainingSetQuery;
import dev.fletcher.engine.sql.WatermarkSql;
import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SQL the engine renders for a dialect, held in golden files side by side
 * ({@code golden/<case>.<dialect>.sql} in this package's resources) so a reviewer sees each warehouse's shape and
 * any change to it: training sets, every metric type, an experiment's sums, drift statistics and watermarks. Every
 * query renders from columns written here, as a warehouse would describe them, with no warehouse at all.
 * Correctness is the business of {@link TrainingSetConformanceTest} and {@link MetricConformanceTest}; this pins the
 * shape. To rewrite the goldens after an intended change, run with
 * {@code -Dfletcher.golden.dir=<that resources folder>}.
 */
public abstract class EngineSqlGoldenTest {
    private static final String CATALOG = """
            kind: entity
            name: customer
            keys: [customer_id]
            ---
            kind: source
            name: profiles
            table: profiles
            timestamp: updated_at
            created_timestamp: loaded_at
            entity_columns: {customer: customer_id}
            ---
            kind: source
            name: txns
            sql: "select * from raw_txns where amount is not null"
            timestamp: txn_at
            entity_columns: {customer: customer_id}
            ---
            kind: source
            name: assignments
            table: assignments
            timestamp: assigned_at
            entity_columns: {customer: customer_id}
            ---
            kind: feature_view
            name: customer_profile
            entity: customer
            source: profiles
            ttl: 30d
            features:
              - {name: plan, column: plan}
              - {name: credit_limit, column: credit_limit}
            ---
            kind: feature_view
            name: customer_txn
            entity: customer
            source: txns
            features:
              - {name: amount_sum_1h, column: amount, aggregation: sum, window: 1h}
              - {name: txn_count_1d, aggregation: count, window: 1d}
              - {name: amount_avg_7d, column: amount, aggregation: avg, window: 7d}
              - {name: amount_max_7d, column: amount, aggregation: max, window: 7d}
              - {name: big_last_7d, column: amount, aggregation: last, window: 7d, filter: "amount > 100"}
              - {name: amount_p90_7d, column: amount, aggregation: approx_percentile, percentile: 0.9, window: 7d}
              - {name: big_share_7d, expr: "amount_max_7d / nullif(amount_avg_7d, 0)"}
            """;

    private static final List<Column> PROFILE_COLUMNS = List.of(new Column("customer_id", ColumnKind.STRING),
            new Column("updated_at", ColumnKind.TIMESTAMP), new Column("loaded_at", ColumnKind.TIMESTAMP),
            new Column("plan", ColumnKind.STRING), new Column("credit_limit", ColumnKind.INTEGER));
    private static final List<Column> TXN_COLUMNS = List.of(new Column("customer_id", ColumnKind.STRING),
            new Column("txn_at", ColumnKind.TIMESTAMP), new Column("amount", ColumnKind.FLOATING));
    private static final List<Column> ENTITY_COLUMNS = List.of(new Column("customer_id", ColumnKind.STRING),
            new Column("event_timestamp", ColumnKind.TIMESTAMP), new Column("label", ColumnKind.INTEGER));

    private static final Catalog TRAINING_CATALOG = Catalog.of(BundleParser.parse("golden.yaml", CATALOG).objects()
            .stream().map(ParsedObject::object).toList());
    private static final String GOLDEN_SUFFIX = "_golden";
    private static final Instant BASELINE_START = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant CURRENT_START = Instant.parse("2026-02-08T00:00:00Z");
    private static final Instant END = Instant.parse("2026-02-09T00:00:00Z");

    /** The warehouse's dialect; the golden files are named after it. */
    protected abstract Dialect dialect();

    /** The middle of each golden file's name: the dialect's name, or a variant of it (e.g. with a capability on). */
    protected String goldenName() {
        return dialect().name();
    }

    private Statement render(List<String> features, EntityInput input, boolean asKnown) {
        TrainingSetRequest request = new TrainingSetRequest(features.stream().map(FeatureRef::parse).toList(), input,
                null, asKnown);
        ResolvedTrainingSet resolved = TrainingSetQuery.resolve(TRAINING_CATALOG, request);
        List<Column> entityColumns = input instanceof EntityInput.TimeRange ? ENTITY_COLUMNS.subList(0, 2) : ENTITY_COLUMNS;
        return TrainingSetQuery.render(resolved, dialect(), new TrainingSetColumns(entityColumns,
                Map.of("profiles", PROFILE_COLUMNS, "txns", TXN_COLUMNS))).statement();
    }

    private void assertGolden(String name, Statement statement) {
        assertGolden(name, statement.sql());
    }

    private void assertGolden(String name, String sql) {
        String file = name + "." + goldenName() + ".sql";
        String actual = sql + "\n";
        String update = System.getProperty("fletcher.golden.dir");
        if (update != null) {
            try {
                Files.writeString(Path.of(update, file), actual);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (InputStream in = EngineSqlGoldenTest.class.getResourceAsStream("golden/" + file)) {
            assertThat(in).as("golden file " + file + " (write it with -Dfletcher.golden.dir)").isNotNull();
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void latestValuesWindowsAndDerivedFeatures() {
        assertGolden("training-set", render(List.of("customer_profile:plan", "customer_txn:amount_sum_1h",
                "customer_txn:txn_count_1d", "customer_txn:big_last_7d", "customer_txn:big_share_7d",
                "customer_profile:credit_limit"), new EntityInput.Table("entities"), false));
    }

    @Test
    void asKnownFromEntitySql() {
        assertGolden("as-known", render(List.of("customer_profile:plan"),
                new EntityInput.Query("select customer_id, event_timestamp, label from labels"), true));
    }

    @Test
    void timeRange() {
        Statement statement = render(List.of("customer_txn:txn_count_1d"), new EntityInput.TimeRange(
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z")), false);
        assertThat(statement.parameters()).containsExactly(Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-02-01T00:00:00Z"));
        assertGolden("time-range", statement);
    }

    @Test
    void approximatePercentileFollowsTheCapability() {
        List<String> features = List.of("customer_txn:amount_p90_7d");
        if (dialect().capabilities().approxPercentile()) {
            assertThat(render(features, new EntityInput.Table("entities"), false).sql())
                    .contains(dialect().approxPercentile(dialect().castToDouble("s._fl_c0"), 0.9));
        } else {
            assertThatThrownBy(() -> render(features, new EntityInput.Table("entities"), false))
                    .isInstanceOf(NotSupportedException.class)
                    .hasMessageContaining("is not supported by this warehouse");
        }
    }

    private void assertGoldenStatement(String name, Statement statement) {
        assertPlaceholders(name, statement);
        assertGolden(name, statement);
    }

    /** Every request value is a bind parameter: one per placeholder, none in the text. */
    private static void assertPlaceholders(String name, Statement statement) {
        assertThat(statement.sql().chars().filter(c -> c == '?').count()).as("placeholders of " + name)
                .isEqualTo(statement.parameters().size());
    }

    // ---------------------------------------------------------------- metrics

    /** The same files {@link MetricConformanceTest} renders from a warehouse's descriptions. */
    private void assertMetricGolden(String name) {
        Catalog catalog = MetricFixtures.catalog(GOLDEN_SUFFIX);
        MetricPlan plan = MetricPlanner.resolve(catalog, MetricFixtures.GOLDEN.get(name));
        Statement statement = MetricSql.render(catalog, plan, dialect(), MetricFixtures.DESCRIBED).statement();
        assertPlaceholders(name, statement);
        assertGolden("metrics-" + name, statement.sql().replace(GOLDEN_SUFFIX, "{}"));
    }

    @Test
    void simpleRatioAndDerivedMetrics() {
        assertMetricGolden("simple-ratio-derived");
    }

    @Test
    void cumulativeAndConversionMetrics() {
        assertMetricGolden("cumulative-conversion");
    }

    /** Each group is an anchor once per bucket, however many source rows it has. */
    @Test
    void cumulativeByAPointInTimeDimension() {
        assertMetricGolden("cumulative-by-point-in-time");
    }

    @Test
    void pointInTimeDimensionsWhereAndFill() {
        assertMetricGolden("point-in-time-where-fill");
    }

    // ---------------------------------------------------------------- experiments

    private static final long DAY = 86_400;

    /**
     * A 7-day outcome and its 14-day covariate from the author's query, a filtered count from it too (one
     * aggregate for the three), and a covariate from a table (a second aggregate).
     */
    private ExperimentSql experiment() {
        Source txns = TRAINING_CATALOG.source("txns").orElseThrow();
        Source profiles = TRAINING_CATALOG.source("profiles").orElseThrow();
        List<String> keys = List.of("customer_id");
        return ExperimentSql.render(TRAINING_CATALOG.source("assignments").orElseThrow(), keys, "variant", List.of(
                new ExperimentSql.Value(txns, keys, Aggregation.SUM, "amount", null, RelativeWindow.forward(7 * DAY)),
                new ExperimentSql.Value(txns, keys, Aggregation.SUM, "amount", null, RelativeWindow.preceding(14 * DAY)),
                new ExperimentSql.Value(txns, keys, Aggregation.COUNT, null, "amount > 100",
                        RelativeWindow.forward(7 * DAY)),
                new ExperimentSql.Value(profiles, keys, Aggregation.MAX, "credit_limit", null,
                        RelativeWindow.preceding(30 * DAY))), dialect());
    }

    @Test
    void cupedSumsCentredInOnePass() {
        List<ExperimentSql.Term> terms = new ArrayList<>(List.of(ExperimentSql.Term.of(0), ExperimentSql.Term.of(1),
                ExperimentSql.Term.of(0, 0), ExperimentSql.Term.of(0, 1), ExperimentSql.Term.of(1, 1),
                ExperimentSql.Term.of(2), ExperimentSql.Term.of(3, 3)));
        for (int i = 0; i < 4; i++) {
            terms.add(ExperimentSql.Term.shift(i));
        }
        terms.add(ExperimentSql.Term.excluded());
        assertGoldenStatement("experiment-sums", experiment().statistics(null, null, null, List.of(), terms));
    }

    @Test
    void cupedSubjectsStagedAndResidualSums() {
        ExperimentSql inline = experiment();
        String table = dialect().scratchTable("fl_subjects");
        assertGoldenStatement("experiment-stage", inline.stageStatement(table));
        List<ExperimentSql.Residual> residuals = List.of(
                new ExperimentSql.Residual(0, List.of(1), new double[] {0.5, 1.5, 0.25}));
        List<ExperimentSql.Term> terms = List.of(new ExperimentSql.Term(0, List.of()), new ExperimentSql.Term(0,
                List.of(1)), new ExperimentSql.Term(0, List.of(1, 1)), ExperimentSql.Term.of(0));
        assertGoldenStatement("experiment-residuals", inline.staged(table).statistics(new double[] {10, 20, 1, 500},
                List.of("control", "treatment"), "treatment", residuals, terms));
        assertGoldenStatement("experiment-excluded", inline.excludedStatement());
    }

    @Test
    void quantileOrderStatisticsOverStagedSubjects() {
        String table = dialect().scratchTable("fl_subjects");
        assertGoldenStatement("experiment-quantiles", experiment().staged(table).quantiles(0, 0.9, 1.959963984540054));
    }

    /**
     * By day: the outcomes read per subject and day, clipped at the day's end, the covariates per subject; sums by
     * day and variant, each day's residuals with its own coefficients.
     */
    @Test
    void cupedSumsByDay() {
        Source txns = TRAINING_CATALOG.source("txns").orElseThrow();
        List<String> keys = List.of("customer_id");
        ExperimentSql daily = ExperimentSql.renderDaily(TRAINING_CATALOG.source("assignments").orElseThrow(), keys,
                "variant", List.of(
                        new ExperimentSql.Value(txns, keys, Aggregation.SUM, "amount", null,
                                RelativeWindow.forward(7 * DAY)),
                        new ExperimentSql.Value(txns, keys, Aggregation.SUM, "amount", null,
                                RelativeWindow.preceding(14 * DAY)),
                        new ExperimentSql.Value(txns, keys, Aggregation.COUNT, null, "amount > 100",
                                RelativeWindow.forward(7 * DAY))), END, dialect());
        List<ExperimentSql.Term> terms = List.of(ExperimentSql.Term.of(0), ExperimentSql.Term.of(0, 1),
                ExperimentSql.Term.of(2, 2));
        assertGoldenStatement("experiment-by-day-sums", daily.groupedStatistics(new double[] {10, 20, 1}, null, null,
                List.of(), terms));
        java.util.Map<Object, double[]> coefficients = new java.util.LinkedHashMap<>();
        coefficients.put(BASELINE_START, new double[] {0.5, 1.5, 0.25});
        coefficients.put(CURRENT_START, new double[] {0.4, 1.2, 0.3});
        List<ExperimentSql.Residual> residuals = List.of(ExperimentSql.Residual.byGroup(0, List.of(1), coefficients));
        String table = dialect().scratchTable("fl_subjects");
        assertGoldenStatement("experiment-by-day-stage", daily.stageStatement(table));
        assertGoldenStatement("experiment-by-day-residuals", daily.staged(table).groupedStatistics(
                new double[] {10, 20, 1}, List.of("control", "treatment"), "treatment", residuals,
                List.of(new ExperimentSql.Term(0, List.of()), new ExperimentSql.Term(0, List.of(1)))));
    }

    /** By slice: each subject's plan as of its first assignment, by the latest-value lookup of training sets. */
    @Test
    void cupedSumsBySlice() {
        Source txns = TRAINING_CATALOG.source("txns").orElseThrow();
        List<String> keys = List.of("customer_id");
        SourceScan scan = new SourceScan("profiles", "profiles", null, keys, "updated_at", "loaded_at",
                PROFILE_COLUMNS);
        ExperimentSql sliced = ExperimentSql.renderSliced(TRAINING_CATALOG.source("assignments").orElseThrow(), keys,
                "variant", List.of(
                        new ExperimentSql.Value(txns, keys, Aggregation.SUM, "amount", null,
                                RelativeWindow.forward(7 * DAY)),
                        new ExperimentSql.Value(txns, keys, Aggregation.SUM, "amount", null,
                                RelativeWindow.preceding(14 * DAY))),
                new ExperimentSql.Slice(scan, "plan", List.of("plan", "credit_limit"), RelativeWindow.asOf(30 * DAY)),
                dialect());
        java.util.Map<Object, double[]> coefficients = new java.util.LinkedHashMap<>();
        coefficients.put("pro", new double[] {0.5, 1.5, 0.25});
        coefficients.put(null, new double[] {0.4, 1.2, 0.3});
        List<ExperimentSql.Residual> residuals = List.of(ExperimentSql.Residual.byGroup(0, List.of(1), coefficients));
        assertGoldenStatement("experiment-by-slice", sliced.groupedStatistics(new double[] {10, 20},
                List.of("control", "treatment"), "treatment", residuals, List.of(new ExperimentSql.Term(0, List.of()),
                        ExperimentSql.Term.of(0, 1))));
    }

    // ---------------------------------------------------------------- monitors and watermarks

    @Test
    void psiOfASourceColumn() {
        Source profiles = TRAINING_CATALOG.source("profiles").orElseThrow();
        Statement values = DriftSql.columnValues(profiles, "credit_limit", BASELINE_START, CURRENT_START, END,
                dialect());
        if (dialect().capabilities().exactPercentile()) {
            assertGoldenStatement("drift-psi", DriftSql.render(values, DriftMethod.PSI, 4, dialect()));
        } else {
            // PSI cuts the baseline at exact quantiles.
            assertThatThrownBy(() -> DriftSql.render(values, DriftMethod.PSI, 4, dialect()))
                    .isInstanceOf(NotSupportedException.class)
                    .hasMessageContaining("is not supported by this warehouse");
        }
    }

    @Test
    void ksOfAFeatureFromATrainingSet() {
        Statement trainingSet = render(List.of("customer_txn:amount_sum_1h"), new EntityInput.TimeRange(BASELINE_START,
                END), false);
        Statement values = DriftSql.featureValues(trainingSet, "customer_txn__amount_sum_1h",
                TrainingSetRequest.DEFAULT_TIMESTAMP_COLUMN, CURRENT_START, dialect());
        assertGoldenStatement("drift-ks", DriftSql.render(values, DriftMethod.KS, 0, dialect()));
    }

    @Test
    void newestEventTimeOfASource() {
        assertGoldenStatement("watermark", WatermarkSql.newestEventTime(TRAINING_CATALOG.source("txns").orElseThrow(),
                dialect(), END));
    }
}
