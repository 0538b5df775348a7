package dev.fletcher.analysis.cuped;

import static dev.fletcher.analysis.cuped.Reference.assertRelative;
import static dev.fletcher.analysis.cuped.Reference.covariance;
import static dev.fletcher.analysis.cuped.Reference.erfc;
import static dev.fletcher.analysis.cuped.Reference.mean;
import static dev.fletcher.analysis.cuped.Reference.variance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fletcher.analysis.cuped.Reference.Ols;
import dev.fletcher.catalog.model.Aggregation;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.Experiment;
import dev.fletcher.catalog.model.Metric;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.catalog.model.Window;
import dev.fletcher.conformance.warehouse.ArrowRows;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.analysis.AnalysisException;
import dev.fletcher.spi.analysis.AnalysisOptions;
import dev.fletcher.spi.analysis.AnalysisRequest;
import dev.fletcher.spi.analysis.Estimate;
import dev.fletcher.spi.analysis.ExperimentAnalysis;
import dev.fletcher.spi.analysis.ExperimentResult;
import dev.fletcher.spi.analysis.MetricResult;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The analysis on a real warehouse against numbers the test works out itself from the subject values it generated:
 * two-pass means and variances, Welch by its formula, and a plain OLS (normal equations on centred rows, solved by
 * Gaussian elimination) with its classical and HC1 covariance. Outcomes are 1e7 plus small noise, so sums on
 * unshifted values would lose the answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractCupedWarehouseTest {
    static final int SUBJECTS = 3000;
    static final int BOTH_VARIANTS = 30;
    static final double OFFSET = 1e7;
    static final long DAY = 86_400;

    private Path dataDir;
    private Warehouse warehouse;
    private BufferAllocator allocator;
    private ExperimentAnalysis analysis;
    private final String suffix = "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    // Per kept subject (in variant order): variant 0/1, outcome revenue, pre-period revenue, outcome order count.
    private final List<double[]> subjects = new ArrayList<>();

    protected abstract Warehouse createWarehouse(Path dataDir);

    @BeforeAll
    void load() throws java.io.IOException {
        dataDir = java.nio.file.Files.createTempDirectory("fletcher-cuped");
        warehouse = createWarehouse(dataDir);
        allocator = new RootAllocator();
        analysis = new CupedAnalysisFactory().create(new PluginConfig("test", Map.of(), dataDir));
        Random random = new Random(42);
        List<List<Object>> assignments = new ArrayList<>();
        List<List<Object>> orders = new ArrayList<>();
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < SUBJECTS; i++) {
            String id = "c" + i;
            int variant = i % 2;
            String name = variant == 0 ? "control" : "treatment";
            Instant a = start.plusSeconds(random.nextInt(10 * 86_400));
            // A repeat exposure later in the same variant; the earliest one anchors.
            assignments.add(List.of(id, a.plusSeconds(DAY), name));
            assignments.add(List.of(id, a, name));
            if (i < BOTH_VARIANTS) {
                assignments.add(List.of(id, a.plusSeconds(2 * DAY), variant == 0 ? "treatment" : "control"));
            }
            double pre = OFFSET + random.nextGaussian() * 3;
            double noise = random.nextGaussian() * (1 + variant);
            double outcome = OFFSET + 0.8 * (pre - OFFSET) + noise + 0.4 * variant;
            // Inside the lookback, on its very first second for every third subject (the bound is inclusive).
            orders.add(order(id, a.minusSeconds(i % 3 == 0 ? 14 * DAY : 3 * DAY), pre, "paid"));
            // Outside both windows: before the lookback, and at a + 14d (the outcome window is half-open).
            orders.add(order(id, a.minusSeconds(14 * DAY + 1), 5e6, "paid"));
            orders.add(order(id, a.plusSeconds(14 * DAY), 5e6, "paid"));
            // The outcome: at the anchor itself for every fifth subject, split in two orders for every seventh.
            Instant when = a.plusSeconds(i % 5 == 0 ? 0 : DAY + random.nextInt(12 * 86_400));
            int count = 1;
            if (i % 7 == 0) {
                orders.add(order(id, when, outcome - OFFSET, "paid"));
                orders.add(order(id, a.plusSeconds(3600), OFFSET, "paid"));
                count = 2;
            } else {
                orders.add(order(id, when, outcome, "paid"));
            }
            // A refund inside the window: excluded from revenue, counted as an order.
            if (i % 4 == 0) {
                orders.add(order(id, a.plusSeconds(2 * DAY), 1e9, "refunded"));
                count++;
            }
            if (i >= BOTH_VARIANTS) {
                subjects.add(new double[] {variant, outcome, pre, count});
            }
        }
        Field ts = new Field("", FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")), null);
        Schema assignmentSchema = new Schema(List.of(text("customer_id"), named(ts, "assigned_at"), text("variant")));
        Schema orderSchema = new Schema(List.of(text("customer_id"), named(ts, "ordered_at"),
                new Field("revenue", FieldType.nullable(new ArrowType.FloatingPoint(
                        org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE)), null), text("status")));
        try (WarehouseSession session = warehouse.openSession()) {
            session.createTable("assignments" + suffix, ArrowRows.reader(allocator, assignmentSchema, assignments), true);
            session.createTable("orders" + suffix, ArrowRows.reader(allocator, orderSchema, orders), true);
        }
    }

    @AfterAll
    void drop() {
        if (warehouse != null) {
            try (WarehouseSession session = warehouse.openSession()) {
                session.dropTable("assignments" + suffix);
                session.dropTable("orders" + suffix);
            }
            warehouse.close();
        }
        if (analysis != null) {
            analysis.close();
        }
        allocator.close();
    }

    private static List<Object> order(String id, Instant at, double revenue, String status) {
        return List.of(id, at, revenue, status);
    }

    private static Field text(String name) {
        return new Field(name, FieldType.nullable(ArrowType.Utf8.INSTANCE), null);
    }

    private static Field named(Field field, String name) {
        return new Field(name, field.getFieldType(), null);
    }

    private Catalog catalog(Map<String, Double> split) {
        return catalog(split, List.of("revenue", "orders", "revenue_per_order"), List.of(), Experiment.Analysis.DEFAULT);
    }

    private Catalog catalog(Map<String, Double> split, List<String> metrics, List<String> guardrails,
            Experiment.Analysis readout) {
        return catalog(split, metrics, guardrails, readout, List.of());
    }

    private Catalog catalog(Map<String, Double> split, List<String> metrics, List<String> guardrails,
            Experiment.Analysis readout, List<Experiment.QuantileMetric> quantiles) {
        List<CatalogObject> objects = new ArrayList<>();
        objects.add(new Entity("customer", List.of("customer_id"), null, Map.of()));
        objects.add(new Source("assignments", "default", "assignments" + suffix, null, "assigned_at", null,
                Map.of("customer", List.of("customer_id")), null, null, Map.of()));
        objects.add(new Source("orders", "default", "orders" + suffix, null, "ordered_at", null,
                Map.of("customer", List.of("customer_id")), null, null, Map.of()));
        objects.add(new Metric.Simple("revenue", "orders", "customer", new Metric.Measure(Aggregation.SUM, "revenue"),
                "status <> 'refunded'", List.of(), null, Map.of()));
        objects.add(new Metric.Simple("orders", "orders", "customer", new Metric.Measure(Aggregation.COUNT, null),
                null, List.of(), null, Map.of()));
        objects.add(new Metric.Ratio("revenue_per_order", "revenue", "orders", null, Map.of()));
        objects.add(new Experiment("checkout", "customer", new Experiment.Assignments("assignments", "variant"),
                "control", Window.parse("14d"), metrics, new Experiment.Cuped(Window.parse("14d")), split, guardrails,
                readout, quantiles, null, Map.of()));
        return Catalog.of(objects);
    }

    private ExperimentResult run(Warehouse target, AnalysisOptions options) {
        return analysis.analyze(new AnalysisRequest(catalog(Map.of()), "checkout", options, name -> target, allocator));
    }

    private static MetricResult result(ExperimentResult result, String metric) {
        return result.results().stream().filter(r -> r.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void matchesIndependentlyWorkedNumbers() {
        RowLimitWarehouse limited = new RowLimitWarehouse(warehouse, 2, null);
        ExperimentResult result = run(limited, AnalysisOptions.DEFAULT);
        assertThat(limited.mostRows.get()).isLessThanOrEqualTo(2);

        long nc = subjects.stream().filter(s -> s[0] == 0).count();
        long nt = subjects.size() - nc;
        assertThat(result.subjects()).containsExactly(Map.entry("control", nc), Map.entry("treatment", nt));
        assertThat(result.excluded()).containsEntry("multiple_variants", (long) BOTH_VARIANTS);
        // χ² with one degree of freedom: p = erfc(sqrt(χ²/2)).
        double expected = (nc + nt) / 2.0;
        double chi2 = ((nc - expected) * (nc - expected) + (nt - expected) * (nt - expected)) / expected;
        assertThat(result.srmPValue()).isCloseTo(erfc(Math.sqrt(chi2 / 2)), within(1e-6));
        assertThat(result.warnings()).isEmpty();

        MetricResult revenue = result(result, "revenue");
        double[] yc = column(0, 1);
        double[] yt = column(1, 1);
        assertRelative(revenue.means().get("control"), mean(yc));
        assertRelative(revenue.means().get("treatment"), mean(yt));
        Estimate welch = revenue.unadjusted();
        double a = variance(yt) / yt.length;
        double b = variance(yc) / yc.length;
        assertRelative(welch.estimate(), mean(yt) - mean(yc));
        assertRelative(welch.stdError(), Math.sqrt(a + b));
        assertThat(welch.estimate()).isBetween(0.0, 0.8);
        // Welch df is near 4700 here: the t quantile sits between the table's 1.9623 (df 1000) and 1.9600 (df ∞).
        assertThat((welch.ciHigh() - welch.estimate()) / welch.stdError()).isBetween(1.9600, 1.9623);
        assertRelative(welch.relative().estimate(), (mean(yt) - mean(yc)) / mean(yc));
        // The relative interval: the delta method's standard error, times the absolute interval's t quantile.
        double relativeSe = Math.sqrt(a / (mean(yc) * mean(yc)) + mean(yt) * mean(yt) * b / Math.pow(mean(yc), 4));
        assertRelative((welch.relative().ciHigh() - welch.relative().estimate()) / relativeSe,
                (welch.ciHigh() - welch.estimate()) / welch.stdError());

        Ols ols = Ols.fit(subjects, 1, 2);
        assertThat(revenue.cuped()).isNotNull();
        assertThat(revenue.cuped().covariates()).containsExactly("revenue");
        assertRelative(revenue.cuped().estimate().estimate(), ols.beta[1]);
        assertRelative(revenue.cuped().estimate().stdError(), ols.se);
        assertRelative(revenue.cuped().stdErrorHc1(), ols.seHc1);
        Ols plain = Ols.fit(subjects, 1);
        assertRelative(revenue.cuped().varianceReduction(), 1 - (ols.se / plain.se) * (ols.se / plain.se));
        assertThat(revenue.cuped().varianceReduction()).isGreaterThan(0.5);
        assertThat(revenue.cuped().estimate().stdError()).isLessThan(welch.stdError());

        // Every subject has exactly one order before assignment: the covariate is constant, CUPED says so.
        MetricResult orders = result(result, "orders");
        assertThat(orders.cuped()).isNull();
        assertThat(orders.messages()).anyMatch(m -> m.contains("same value"));
        assertRelative(orders.unadjusted().estimate(), mean(column(1, 3)) - mean(column(0, 3)));

        // Ratio by the delta method, from the subject values.
        MetricResult ratio = result(result, "revenue_per_order");
        double[] r = new double[2];
        double[] v = new double[2];
        for (int g = 0; g < 2; g++) {
            double[] num = column(g, 1);
            double[] den = column(g, 3);
            double mn = mean(num);
            double md = mean(den);
            double cov = covariance(num, den);
            r[g] = mn / md;
            v[g] = (variance(num) / (md * md) - 2 * mn * cov / (md * md * md)
                    + mn * mn * variance(den) / (md * md * md * md)) / num.length;
        }
        assertRelative(ratio.means().get("control"), r[0]);
        assertRelative(ratio.unadjusted().estimate(), r[1] - r[0]);
        assertRelative(ratio.unadjusted().stdError(), Math.sqrt(v[0] + v[1]));
    }

    @Test
    void readsTheEstimatesAsTheExperimentAsks() {
        Catalog catalog = catalog(Map.of(), List.of("revenue", "revenue_per_order"), List.of("orders"),
                new Experiment.Analysis(5000.0, Experiment.Correction.HOLM, Experiment.Bayesian.DEFAULT));
        ExperimentResult result = analysis.analyze(new AnalysisRequest(catalog, "checkout", AnalysisOptions.DEFAULT,
                name -> warehouse, allocator));
        assertThat(result.results()).extracting(MetricResult::metric)
                .containsExactly("revenue", "revenue_per_order", "orders");
        assertThat(result.results()).extracting(MetricResult::guardrail).containsExactly(false, false, true);
        long n = subjects.size();

        // Sequential, from the subjects' own Welch and OLS figures and the formula.
        MetricResult revenue = result(result, "revenue");
        double[] yc = column(0, 1);
        double[] yt = column(1, 1);
        double se = Math.sqrt(variance(yt) / yt.length + variance(yc) / yc.length);
        double[] welch = ReadoutTest.expectedSequence(mean(yt) - mean(yc), se, n, 5000);
        assertRelative(revenue.unadjusted().sequential().ciLow(), welch[0]);
        assertRelative(revenue.unadjusted().sequential().ciHigh(), welch[1]);
        assertRelative(revenue.unadjusted().sequential().pValue(), welch[2]);
        Ols ols = Ols.fit(subjects, 1, 2);
        double[] cuped = ReadoutTest.expectedSequence(ols.beta[1], ols.se, n, 5000);
        assertRelative(revenue.cuped().estimate().sequential().ciLow(), cuped[0]);
        assertRelative(revenue.cuped().estimate().sequential().ciHigh(), cuped[1]);
        double[] relative = ReadoutTest.expectedSequence(ols.beta[1] / mean(yc), ols.se / mean(yc), n, 5000);
        assertRelative(revenue.cuped().estimate().sequential().relative().ciHigh(), relative[1]);
        assertThat(revenue.cuped().estimate().sequential().ciHigh() - revenue.cuped().estimate().sequential().ciLow())
                .isGreaterThan(revenue.cuped().estimate().ciHigh() - revenue.cuped().estimate().ciLow());
        assertThat(revenue.decision().estimate()).isEqualTo("cuped");
        assertThat(revenue.decision().interval()).isEqualTo("sequential");
        assertRelative(revenue.decision().pValue(), cuped[2]);

        // Holm over revenue and the ratio (by the delta method, with no CUPED); the guardrail stays out.
        MetricResult ratio = result(result, "revenue_per_order");
        double p1 = revenue.decision().pValue();
        double p2 = ratio.decision().pValue();
        double low = Math.min(1, 2 * Math.min(p1, p2));
        double high = Math.max(low, Math.min(1, Math.max(p1, p2)));
        assertThat(revenue.decision().pValueAdjusted()).isEqualTo(p1 <= p2 ? low : high);
        assertThat(ratio.decision().pValueAdjusted()).isEqualTo(p1 <= p2 ? high : low);
        assertThat(result(result, "orders").decision().pValueAdjusted()).isNull();

        // The Bayesian read-out of the CUPED relative lift, with the default prior N(0, 0.3²).
        double lift = ols.beta[1] / mean(yc);
        double liftSe = ols.se / mean(yc);
        double precision = 1 / 0.09 + 1 / (liftSe * liftSe);
        assertRelative(revenue.bayesian().posteriorMean(), lift / (liftSe * liftSe) / precision);
        assertRelative(revenue.bayesian().posteriorSd(), Math.sqrt(1 / precision));
        assertThat(revenue.bayesian().chanceToWin()).isBetween(0.0, 1.0);
        assertThat(result.analysis().sequential()).isTrue();

        // A request may read the same experiment otherwise.
        ExperimentResult fixed = analysis.analyze(new AnalysisRequest(catalog, "checkout",
                new AnalysisOptions(null, null, null, Experiment.Analysis.DEFAULT), name -> warehouse, allocator));
        assertThat(fixed.results()).allMatch(r -> r.bayesian() == null && r.decision().pValueAdjusted() == null
                && r.unadjusted().sequential() == null);
        assertThat(result(fixed, "revenue").decision().interval()).isEqualTo("fixed_horizon");
    }

    @Test
    void smallDeclaredLimitsSplitTheQueriesWithTheSameResult() {
        ExperimentResult wide = run(warehouse, AnalysisOptions.DEFAULT);
        RowLimitWarehouse narrow = new RowLimitWarehouse(warehouse, 2, warehouse.capabilities().withLimits(3, 1 << 20));
        ExperimentResult split = run(narrow, AnalysisOptions.DEFAULT);
        RowLimitWarehouse wideCount = new RowLimitWarehouse(warehouse, 2, null);
        run(wideCount, AnalysisOptions.DEFAULT);
        assertThat(narrow.queries.get()).isGreaterThan(wideCount.queries.get() + 3);
        for (int m = 0; m < wide.results().size(); m++) {
            MetricResult x = wide.results().get(m);
            MetricResult y = split.results().get(m);
            if (x.unadjusted() != null) {
                assertRelative(y.unadjusted().estimate(), x.unadjusted().estimate());
                assertRelative(y.unadjusted().stdError(), x.unadjusted().stdError());
            }
            if (x.cuped() != null) {
                assertRelative(y.cuped().estimate().estimate(), x.cuped().estimate().estimate());
                assertRelative(y.cuped().stdErrorHc1(), x.cuped().stdErrorHc1());
            }
        }
        assertThatThrownBy(() -> run(new RowLimitWarehouse(warehouse, 2, warehouse.capabilities().withLimits(3, 500)),
                AnalysisOptions.DEFAULT)).isInstanceOf(AnalysisException.class).hasMessageContaining("does not fit");
    }

    @Test
    void optionsTurnCupedOffChooseCovariatesAndPenalize() {
        ExperimentResult off = run(warehouse, new AnalysisOptions(false, null, null));
        assertThat(off.results()).allMatch(r -> r.cuped() == null);
        ExperimentResult chosen = run(warehouse, new AnalysisOptions(null, List.of("revenue"), null));
        MetricResult revenue = result(chosen, "revenue");
        assertRelative(revenue.cuped().estimate().estimate(), Ols.fit(subjects, 1, 2).beta[1]);
        // Pre-period revenue adjusts the order count too.
        assertThat(result(chosen, "orders").cuped().covariates()).containsExactly("revenue");
        ExperimentResult ridge = run(warehouse, new AnalysisOptions(null, null, 1e12));
        // An enormous penalty pins the covariate's coefficient to 0: the unadjusted difference comes back.
        assertThat(result(ridge, "revenue").cuped().estimate().estimate())
                .isCloseTo(result(ridge, "revenue").unadjusted().estimate(), within(1e-3));
        assertThatThrownBy(() -> run(warehouse, new AnalysisOptions(null, List.of("nope"), null)))
                .isInstanceOf(AnalysisException.class).hasMessageContaining("'nope'");
    }

    @Test
    void quantilesMatchTheOrderStatisticsOfTheSubjects() {
        // 1485 subjects per variant: at p = 0.6, np = 891 exactly, where x(⌈np⌉) and x(⌊np⌋ + 1) part.
        List<Experiment.QuantileMetric> quantiles = List.of(new Experiment.QuantileMetric("revenue", 0.6, false),
                new Experiment.QuantileMetric("revenue", 0.9, true), new Experiment.QuantileMetric("orders", 0.75, false));
        for (boolean staging : new boolean[] {true, false}) {
            RowLimitWarehouse limited = new RowLimitWarehouse(warehouse, 2, null);
            ExperimentResult result;
            try (ExperimentAnalysis plain = new CupedAnalysisFactory().create(new PluginConfig("test",
                    Map.of("staging", Boolean.toString(staging)), dataDir))) {
                result = plain.analyze(new AnalysisRequest(catalog(Map.of(), List.of("revenue"), List.of(),
                        new Experiment.Analysis(null, Experiment.Correction.HOLM, null), quantiles), "checkout",
                        AnalysisOptions.DEFAULT, name -> limited, allocator));
            }
            assertThat(limited.mostRows.get()).isLessThanOrEqualTo(2);
            List<MetricResult> found = result.results().stream().filter(r -> r.quantile() != null).toList();
            assertThat(found).hasSize(3);
            int[] columns = {1, 1, 3};
            for (int q = 0; q < 3; q++) {
                MetricResult r = found.get(q);
                double p = quantiles.get(q).quantile();
                assertThat(r.metric()).isEqualTo(quantiles.get(q).metric());
                assertThat(r.quantile().probability()).isEqualTo(p);
                assertThat(r.guardrail()).isEqualTo(quantiles.get(q).guardrail());
                QuantileEffect.Variant[] v = new QuantileEffect.Variant[2];
                for (int g = 0; g < 2; g++) {
                    v[g] = QuantileEffect.variant(QuantileEffectTest.textbook(column(g, columns[q]), p),
                            Comparisons.normalQuantile());
                    Estimate.Interval got = r.quantile().variants().get(g == 0 ? "control" : "treatment");
                    // Within rounding: a subject's revenue split over two orders sums back to a neighbouring double.
                    assertThat(got.estimate()).as("%s p%s point, variant %s", r.metric(), p, g)
                            .isCloseTo(v[g].point(), within(1e-6));
                    assertThat(got.ciLow()).as("%s p%s low, variant %s", r.metric(), p, g)
                            .isCloseTo(v[g].low(), within(1e-6));
                    assertThat(got.ciHigh()).as("%s p%s high, variant %s", r.metric(), p, g)
                            .isCloseTo(v[g].high(), within(1e-6));
                    assertThat(r.means().get(g == 0 ? "control" : "treatment")).isCloseTo(v[g].point(), within(1e-6));
                }
                assertThat(r.messages()).anyMatch(m -> m.contains("CUPED does not apply to quantiles"));
                assertThat(r.cuped()).isNull();
                if (columns[q] == 1) {
                    double se = Math.hypot(v[0].high() - v[0].low(), v[1].high() - v[1].low())
                            / (2 * Comparisons.normalQuantile());
                    assertRelative(r.unadjusted().estimate(), v[1].point() - v[0].point());
                    assertRelative(r.unadjusted().stdError(), se);
                    assertThat(r.decision()).isNotNull();
                    // The P90 is a guardrail: outside the correction's family; the others are in it.
                    assertThat(r.decision().pValueAdjusted() == null).isEqualTo(r.guardrail());
                } else {
                    // Order counts are 1 to 3: at the P75 the neighbouring order statistics tie in both variants.
                    assertThat(r.unadjusted() == null).isEqualTo(v[0].stdError() == 0 && v[1].stdError() == 0);
                }
            }
        }
    }

    @Test
    void stagedSubjectsGiveTheSameNumbersAndLeaveNoTableBehind() {
        RowLimitWarehouse staged = new RowLimitWarehouse(warehouse, 2, null);
        ExperimentResult withStaging = run(staged, AnalysisOptions.DEFAULT);
        String table = stagedTable(staged);
        try (WarehouseSession session = warehouse.openSession()) {
            assertThat(session.tableExists(table)).isFalse();
        }
        RowLimitWarehouse inline = new RowLimitWarehouse(warehouse, 2, null);
        ExperimentResult withoutStaging;
        try (ExperimentAnalysis plain = new CupedAnalysisFactory().create(new PluginConfig("test",
                Map.of("staging", "false"), dataDir))) {
            withoutStaging = plain.analyze(new AnalysisRequest(catalog(Map.of()), "checkout", AnalysisOptions.DEFAULT,
                    name -> inline, allocator));
        }
        assertThat(inline.executed).isEmpty();
        assertThat(withoutStaging.subjects()).isEqualTo(withStaging.subjects());
        assertThat(withoutStaging.excluded()).isEqualTo(withStaging.excluded());
        for (int m = 0; m < withStaging.results().size(); m++) {
            MetricResult x = withStaging.results().get(m);
            MetricResult y = withoutStaging.results().get(m);
            assertThat(y.messages()).isEqualTo(x.messages());
            if (x.unadjusted() != null) {
                assertRelative(y.unadjusted().stdError(), x.unadjusted().stdError());
            }
            if (x.cuped() != null) {
                assertRelative(y.cuped().estimate().estimate(), x.cuped().estimate().estimate());
                assertRelative(y.cuped().stdErrorHc1(), x.cuped().stdErrorHc1());
            }
        }

        // A failure after the staging (here: a result refused by the row limit) still drops the table.
        RowLimitWarehouse failing = new RowLimitWarehouse(warehouse, 0, null);
        assertThatThrownBy(() -> run(failing, AnalysisOptions.DEFAULT)).hasMessageContaining("leaving the warehouse");
        try (WarehouseSession session = warehouse.openSession()) {
            assertThat(session.tableExists(stagedTable(failing))).isFalse();
        }
    }

    /** The one table the analysis staged, which existed until it was dropped. */
    private static String stagedTable(RowLimitWarehouse warehouse) {
        assertThat(warehouse.executed).hasSize(1).allMatch(sql -> sql.contains("_fletcher_subjects_"));
        assertThat(warehouse.dropped).hasSize(1);
        Map.Entry<String, Boolean> table = warehouse.dropped.entrySet().iterator().next();
        assertThat(table.getKey()).matches("(\\w+\\.)?_fletcher_subjects_[0-9a-f]{32}");
        assertThat(table.getValue()).as("%s existed before it was dropped", table.getKey()).isTrue();
        return table.getKey();
    }

    @Test
    void anEmptyPlannedVariantIsAMessageNotAFailure() {
        ExperimentResult result = analysis.analyze(new AnalysisRequest(
                catalog(Map.of("control", 1.0, "treatment", 1.0, "bigger_button", 1.0)), "checkout",
                AnalysisOptions.DEFAULT, name -> warehouse, allocator));
        assertThat(result.subjects()).containsEntry("bigger_button", 0L);
        assertThat(result.srmPValue()).isLessThan(0.001);
        assertThat(result.warnings()).anyMatch(w -> w.contains("sample ratio mismatch"));
        assertThat(result.results()).filteredOn(r -> r.variant().equals("bigger_button"))
                .allMatch(r -> r.unadjusted() == null && r.messages().stream().anyMatch(m -> m.contains("no subjects")));
    }

    private double[] column(int variant, int index) {
        return subjects.stream().filter(s -> s[0] == variant).mapToDouble(s -> s[index]).toArray();
    }
}
