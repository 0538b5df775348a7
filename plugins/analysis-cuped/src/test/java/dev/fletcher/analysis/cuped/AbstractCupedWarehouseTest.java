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
import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureType;
import dev.fletcher.catalog.model.FeatureView;
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
    // Per kept subject, in the same order: its number i (customer "c" + i).
    private final List<Integer> kept = new ArrayList<>();
    // Per subject i: its first assignment, its country on that row, its plan at that time (null: no profile).
    private final List<Instant> anchors = new ArrayList<>();
    private final List<String> countries = new ArrayList<>();
    private final List<String> plans = new ArrayList<>();
    private final List<List<Object>> assignmentRows = new ArrayList<>();
    private final List<List<Object>> orderRows = new ArrayList<>();
    private Schema assignmentSchema;
    private Schema orderSchema;

    protected abstract Warehouse createWarehouse(Path dataDir);

    @BeforeAll
    void load() throws java.io.IOException {
        dataDir = java.nio.file.Files.createTempDirectory("fletcher-cuped");
        warehouse = createWarehouse(dataDir);
        allocator = new RootAllocator();
        analysis = new CupedAnalysisFactory().create(new PluginConfig("test", Map.of(), dataDir));
        Random random = new Random(42);
        List<List<Object>> assignments = assignmentRows;
        List<List<Object>> orders = orderRows;
        List<List<Object>> profiles = new ArrayList<>();
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < SUBJECTS; i++) {
            String id = "c" + i;
            int variant = i % 2;
            String name = variant == 0 ? "control" : "treatment";
            Instant a = start.plusSeconds(random.nextInt(10 * 86_400));
            // The slice by country is the anchoring row's: a later exposure says otherwise. Luxembourg is small.
            String country = i % 40 == 1 || i % 40 == 2 ? "LU" : i % 3 == 0 ? "DE" : "FR";
            anchors.add(a);
            countries.add(country);
            // A repeat exposure later in the same variant; the earliest one anchors.
            assignments.add(List.of(id, a.plusSeconds(DAY), name, "US", "v" + assignments.size()));
            assignments.add(List.of(id, a, name, country, "v" + assignments.size()));
            if (i < BOTH_VARIANTS) {
                assignments.add(List.of(id, a.plusSeconds(2 * DAY), variant == 0 ? "treatment" : "control", "US",
                        "v" + assignments.size()));
            }
            // The plan as of the first assignment: pro when upgraded before it, basic when after or never; none
            // without any profile row.
            if (i % 97 == 5) {
                plans.add(null);
            } else {
                profiles.add(List.of(id, start.minusSeconds(30 * DAY), "basic"));
                if (i % 3 != 2) {
                    profiles.add(List.of(id, a.plusSeconds(i % 3 == 0 ? -3600 : 3600), "pro"));
                }
                plans.add(i % 3 == 0 ? "pro" : "basic");
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
                kept.add(i);
            }
        }
        Field ts = new Field("", FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")), null);
        assignmentSchema = new Schema(List.of(text("customer_id"), named(ts, "assigned_at"), text("variant"),
                text("country"), text("visit")));
        Schema profileSchema = new Schema(List.of(text("customer_id"), named(ts, "updated_at"), text("plan")));
        orderSchema = new Schema(List.of(text("customer_id"), named(ts, "ordered_at"),
                new Field("revenue", FieldType.nullable(new ArrowType.FloatingPoint(
                        org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE)), null), text("status")));
        try (WarehouseSession session = warehouse.openSession()) {
            session.createTable("assignments" + suffix, ArrowRows.reader(allocator, assignmentSchema, assignments), true);
            session.createTable("orders" + suffix, ArrowRows.reader(allocator, orderSchema, orders), true);
            session.createTable("profiles" + suffix, ArrowRows.reader(allocator, profileSchema, profiles), true);
        }
    }

    @AfterAll
    void drop() {
        if (warehouse != null) {
            try (WarehouseSession session = warehouse.openSession()) {
                session.dropTable("assignments" + suffix);
                session.dropTable("orders" + suffix);
                session.dropTable("profiles" + suffix);
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
        return catalog(split, metrics, guardrails, readout, quantiles, "assignments" + suffix, "orders" + suffix);
    }

    private Catalog catalog(Map<String, Double> split, List<String> metrics, List<String> guardrails,
            Experiment.Analysis readout, String assignmentTable, String orderTable) {
        return catalog(split, metrics, guardrails, readout, List.of(), assignmentTable, orderTable);
    }

    private Catalog catalog(Map<String, Double> split, List<String> metrics, List<String> guardrails,
            Experiment.Analysis readout, List<Experiment.QuantileMetric> quantiles, String assignmentTable,
            String orderTable) {
        List<CatalogObject> objects = new ArrayList<>();
        objects.add(new Entity("customer", List.of("customer_id"), null, Map.of()));
        objects.add(new Source("assignments", "default", assignmentTable, null, "assigned_at", null,
                Map.of("customer", List.of("customer_id")), null, null, Map.of()));
        objects.add(new Source("orders", "default", orderTable, null, "ordered_at", null,
                Map.of("customer", List.of("customer_id")), null, null, Map.of()));
        objects.add(new Source("profiles", "default", "profiles" + suffix, null, "updated_at", null,
                Map.of("customer", List.of("customer_id")), null, null, Map.of()));
        objects.add(new FeatureView("customer_profile", "customer", "profiles", Window.parse("90d"), false, List.of(
                new Feature.LatestValue("plan", "plan", FeatureType.STRING, null),
                new Feature.Aggregated("updates_30d", Aggregation.COUNT, null, Window.parse("30d"), null, null,
                        FeatureType.INT64, null)), null, Map.of()));
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

    // ---- Breakdowns: by day and by slice -------------------------------------------------------------------------

    /** The plain analysis of the experiment over other assignment and order tables (made from subsets of the rows). */
    private ExperimentResult runOn(List<List<Object>> assignments, List<List<Object>> orders, AnalysisOptions options,
            Experiment.Analysis readout) {
        String tag = "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        try (WarehouseSession session = warehouse.openSession()) {
            session.createTable("assignments" + tag, ArrowRows.reader(allocator, assignmentSchema, assignments), true);
            session.createTable("orders" + tag, ArrowRows.reader(allocator, orderSchema, orders), true);
        }
        try {
            Catalog catalog = catalog(Map.of(), List.of("revenue", "orders", "revenue_per_order"), List.of(), readout,
                    "assignments" + tag, "orders" + tag);
            return analysis.analyze(new AnalysisRequest(catalog, "checkout", options, name -> warehouse, allocator));
        } finally {
            try (WarehouseSession session = warehouse.openSession()) {
                session.dropTable("assignments" + tag);
                session.dropTable("orders" + tag);
            }
        }
    }

    private ExperimentResult runWith(Warehouse target, AnalysisOptions options, Experiment.Analysis readout) {
        return analysis.analyze(new AnalysisRequest(catalog(Map.of(), List.of("revenue", "orders",
                "revenue_per_order"), List.of(), readout), "checkout", options, name -> target, allocator));
    }

    /** The same subjects, estimates and intervals (within 1e-6 relative). */
    private static void assertSameAnalysis(ExperimentResult.Group actual, Map<String, Long> subjects, Double srm,
            List<MetricResult> expected) {
        assertThat(actual.subjects()).isEqualTo(subjects);
        if (srm == null) {
            assertThat(actual.srmPValue()).isNull();
        } else {
            assertRelative(actual.srmPValue(), srm);
        }
        assertThat(actual.results()).hasSameSizeAs(expected);
        for (int m = 0; m < expected.size(); m++) {
            MetricResult x = expected.get(m);
            MetricResult y = actual.results().get(m);
            assertThat(y.metric()).isEqualTo(x.metric());
            assertThat(y.messages()).isEqualTo(x.messages());
            x.means().forEach((variant, mean) -> assertRelative(y.means().get(variant), mean));
            assertThat(y.unadjusted() == null).isEqualTo(x.unadjusted() == null);
            if (x.unadjusted() != null) {
                assertSameEstimate(y.unadjusted(), x.unadjusted());
            }
            assertThat(y.cuped() == null).isEqualTo(x.cuped() == null);
            if (x.cuped() != null) {
                assertSameEstimate(y.cuped().estimate(), x.cuped().estimate());
                assertRelative(y.cuped().stdErrorHc1(), x.cuped().stdErrorHc1());
                assertRelative(y.cuped().varianceReduction(), x.cuped().varianceReduction());
            }
            assertThat(y.decision().significant()).isEqualTo(x.decision().significant());
        }
    }

    /** Within 1e-6 of the interval's width too, for an estimate that is 0 up to the order of summation. */
    private static void assertSameEstimate(Estimate y, Estimate x) {
        double width = x.ciHigh() - x.ciLow();
        near(y.estimate(), x.estimate(), width);
        assertRelative(y.stdError(), x.stdError());
        near(y.ciLow(), x.ciLow(), width);
        near(y.ciHigh(), x.ciHigh(), width);
        double relativeWidth = x.relative().ciHigh() - x.relative().ciLow();
        near(y.relative().estimate(), x.relative().estimate(), relativeWidth);
        near(y.relative().ciHigh(), x.relative().ciHigh(), relativeWidth);
        assertThat(y.sequential() == null).isEqualTo(x.sequential() == null);
        if (x.sequential() != null) {
            near(y.sequential().ciLow(), x.sequential().ciLow(), width);
            near(y.sequential().relative().ciHigh(), x.sequential().relative().ciHigh(), relativeWidth);
        }
    }

    private static void near(double actual, double expected, double scale) {
        assertThat(actual).isCloseTo(expected, within(1e-6 * Math.max(Math.abs(expected), scale)));
    }

    @Test
    void byDayEachDayIsTheAnalysisOfWhatWasKnownAtItsEnd() {
        Experiment.Analysis sequential = new Experiment.Analysis(5000.0, Experiment.Correction.NONE, null);
        RowLimitWarehouse limited = new RowLimitWarehouse(warehouse, 2 * 40, null);
        ExperimentResult result = runWith(limited, AnalysisOptions.DEFAULT.withBreakdown("day", null), sequential);
        ExperimentResult plain = runWith(warehouse, AnalysisOptions.DEFAULT, sequential);
        // Grouped sums only: at most a row per day and variant ever left the warehouse.
        assertThat(limited.mostRows.get()).isLessThanOrEqualTo(2 * 40);
        assertThat(result.breakdown().byDay()).isTrue();
        List<ExperimentResult.Group> days = result.breakdown().groups();

        // From the first assignment's day to the day the last outcome window ends, every day once, in order.
        Instant first = anchors.stream().min(Instant::compareTo).orElseThrow();
        Instant last = anchors.stream().max(Instant::compareTo).orElseThrow().plusSeconds(14 * DAY);
        java.time.LocalDate day = java.time.LocalDate.ofInstant(first, java.time.ZoneOffset.UTC);
        java.time.LocalDate lastDay = java.time.LocalDate.ofInstant(last, java.time.ZoneOffset.UTC);
        List<String> expectedDays = new ArrayList<>();
        for (; !day.isAfter(lastDay); day = day.plusDays(1)) {
            expectedDays.add(day.toString());
        }
        assertThat(days).extracting(ExperimentResult.Group::key).containsExactlyElementsOf(expectedDays);
        // The whole result is unchanged beside the breakdown.
        assertThat(result.subjects()).isEqualTo(plain.subjects());
        assertRelative(result.results().get(0).unadjusted().estimate(), plain.results().get(0).unadjusted().estimate());

        // The last day saw every window to its end: it is the plain analysis.
        ExperimentResult.Group final_ = days.get(days.size() - 1);
        assertSameAnalysis(final_, plain.subjects(), plain.srmPValue(), plain.results());
        assertThat(final_.results().get(0).unadjusted().sequential()).isNotNull();

        // An intermediate day is the plain analysis of the subjects assigned by its end, of the orders before it.
        int index = 4;
        Instant cutoff = Instant.parse(days.get(index).key() + "T00:00:00Z").plusSeconds(DAY);
        java.util.Set<String> assigned = new java.util.HashSet<>();
        for (int i = 0; i < SUBJECTS; i++) {
            if (anchors.get(i).isBefore(cutoff)) {
                assigned.add("c" + i);
            }
        }
        List<List<Object>> assignmentsThen = assignmentRows.stream().filter(r -> assigned.contains(r.get(0))).toList();
        List<List<Object>> ordersThen = orderRows.stream().filter(r -> ((Instant) r.get(1)).isBefore(cutoff)).toList();
        ExperimentResult then = runOn(assignmentsThen, ordersThen, AnalysisOptions.DEFAULT, sequential);
        assertSameAnalysis(days.get(index), then.subjects(), then.srmPValue(), then.results());

        // And from the generated orders directly: each kept subject's revenue clipped at the cutoff.
        List<double[]> control = new ArrayList<>();
        List<double[]> treatment = new ArrayList<>();
        for (int s = 0; s < kept.size(); s++) {
            int i = kept.get(s);
            Instant a = anchors.get(i);
            if (!a.isBefore(cutoff)) {
                continue;
            }
            Instant end = a.plusSeconds(14 * DAY).isBefore(cutoff) ? a.plusSeconds(14 * DAY) : cutoff;
            double revenue = 0;
            for (List<Object> order : orderRows) {
                Instant t = (Instant) order.get(1);
                if (order.get(0).equals("c" + i) && !t.isBefore(a) && t.isBefore(end) && order.get(3).equals("paid")) {
                    revenue += (Double) order.get(2);
                }
            }
            (subjects.get(s)[0] == 0 ? control : treatment).add(new double[] {revenue});
        }
        double[] yc = control.stream().mapToDouble(v -> v[0]).toArray();
        double[] yt = treatment.stream().mapToDouble(v -> v[0]).toArray();
        assertThat(days.get(index).subjects()).containsExactly(Map.entry("control", (long) yc.length),
                Map.entry("treatment", (long) yt.length));
        MetricResult revenue = days.get(index).results().get(0);
        assertRelative(revenue.unadjusted().estimate(), mean(yt) - mean(yc));
        assertRelative(revenue.unadjusted().stdError(), Math.sqrt(variance(yt) / yt.length + variance(yc) / yc.length));
        // Fewer subjects and shorter windows than at the end.
        assertThat(days.get(index).subjects().get("control")).isLessThan(final_.subjects().get("control"));

        // Computed inline (nothing staged), each day is the same.
        RowLimitWarehouse inline = new RowLimitWarehouse(warehouse, 2 * 40, null);
        try (ExperimentAnalysis unstaging = new CupedAnalysisFactory().create(new PluginConfig("test",
                Map.of("staging", "false"), dataDir))) {
            ExperimentResult unstaged = unstaging.analyze(new AnalysisRequest(catalog(Map.of(), List.of("revenue",
                    "orders", "revenue_per_order"), List.of(), sequential), "checkout",
                    AnalysisOptions.DEFAULT.withBreakdown("day", null), name -> inline, allocator));
            assertThat(inline.executed).isEmpty();
            assertThat(unstaged.breakdown().groups()).hasSameSizeAs(days);
            for (int d = 0; d < days.size(); d++) {
                ExperimentResult.Group other = unstaged.breakdown().groups().get(d);
                assertSameAnalysis(other, days.get(d).subjects(), days.get(d).srmPValue(), days.get(d).results());
            }
        }
    }

    @Test
    void slicesAreTheAnalysesOfEachSlicesSubjectsAlone() {
        RowLimitWarehouse limited = new RowLimitWarehouse(warehouse, 2 * 3, null);
        ExperimentResult result = runWith(limited, AnalysisOptions.DEFAULT.withBreakdown(null, "country"),
                Experiment.Analysis.DEFAULT);
        assertThat(limited.mostRows.get()).isLessThanOrEqualTo(2 * 3);
        assertThat(result.breakdown().by()).isEqualTo("country");
        // Largest first; the country of a later exposure (US) is never a subject's slice.
        assertThat(result.breakdown().groups()).extracting(ExperimentResult.Group::key)
                .containsExactly("FR", "DE", "LU");
        for (ExperimentResult.Group slice : result.breakdown().groups()) {
            java.util.Set<String> members = new java.util.HashSet<>();
            for (int i = 0; i < SUBJECTS; i++) {
                if (countries.get(i).equals(slice.key())) {
                    members.add("c" + i);
                }
            }
            ExperimentResult alone = runOn(assignmentRows.stream().filter(r -> members.contains(r.get(0))).toList(),
                    orderRows, AnalysisOptions.DEFAULT, Experiment.Analysis.DEFAULT);
            assertSameAnalysis(slice, alone.subjects(), alone.srmPValue(), alone.results());
            // Small slices say so: fewer than 100 subjects in a variant.
            boolean small = alone.subjects().values().stream().anyMatch(n -> n < 100);
            assertThat(slice.warnings().stream().anyMatch(w -> w.contains("is small"))).isEqualTo(small);
            assertThat(small).isEqualTo(slice.key().equals("LU"));
        }
        // The slices' subjects add up to the whole.
        long total = result.breakdown().groups().stream().mapToLong(g -> g.subjects().get("control")).sum();
        assertThat(total).isEqualTo(result.subjects().get("control"));
    }

    @Test
    void slicesByAFeatureTakeItsValueAtTheFirstAssignment() {
        ExperimentResult result = runWith(warehouse, AnalysisOptions.DEFAULT.withBreakdown(null,
                "customer_profile__plan"), Experiment.Analysis.DEFAULT);
        assertThat(result.breakdown().groups()).extracting(ExperimentResult.Group::key)
                .containsExactly("basic", "pro", null);
        for (ExperimentResult.Group slice : result.breakdown().groups()) {
            List<double[]> control = new ArrayList<>();
            List<double[]> treatment = new ArrayList<>();
            java.util.Set<String> members = new java.util.HashSet<>();
            for (int s = 0; s < kept.size(); s++) {
                int i = kept.get(s);
                if (java.util.Objects.equals(plans.get(i), slice.key())) {
                    (subjects.get(s)[0] == 0 ? control : treatment).add(subjects.get(s));
                    members.add("c" + i);
                }
            }
            assertThat(slice.subjects()).containsExactly(Map.entry("control", (long) control.size()),
                    Map.entry("treatment", (long) treatment.size()));
            double[] yc = control.stream().mapToDouble(v -> v[1]).toArray();
            double[] yt = treatment.stream().mapToDouble(v -> v[1]).toArray();
            MetricResult revenue = slice.results().get(0);
            assertRelative(revenue.unadjusted().estimate(), mean(yt) - mean(yc));
            assertRelative(revenue.unadjusted().stdError(), Math.sqrt(variance(yt) / yt.length
                    + variance(yc) / yc.length));
            if (slice.key() != null) {
                Ols ols = Ols.fit(new ArrayList<>(java.util.stream.Stream.concat(control.stream(), treatment.stream())
                        .toList()), 1, 2);
                assertRelative(revenue.cuped().estimate().estimate(), ols.beta[1]);
                assertRelative(revenue.cuped().stdErrorHc1(), ols.seHc1);
            }
            ExperimentResult alone = runOn(assignmentRows.stream().filter(r -> members.contains(r.get(0))).toList(),
                    orderRows, AnalysisOptions.DEFAULT, Experiment.Analysis.DEFAULT);
            assertSameAnalysis(slice, alone.subjects(), alone.srmPValue(), alone.results());
        }
    }

    @Test
    void unknownAndUnsupportedBreakdownsAreRefusedByName() {
        assertThatThrownBy(() -> runWith(warehouse, AnalysisOptions.DEFAULT.withBreakdown(null, "planet"),
                Experiment.Analysis.DEFAULT)).isInstanceOf(AnalysisException.class)
                .hasMessageContaining("unknown slice 'planet'").hasMessageContaining("country")
                .hasMessageContaining("customer_profile__plan");
        assertThatThrownBy(() -> runWith(warehouse, AnalysisOptions.DEFAULT.withBreakdown(null,
                "customer_profile__updates_30d"), Experiment.Analysis.DEFAULT)).isInstanceOf(AnalysisException.class)
                .hasMessageContaining("aggregated").hasMessageContaining("customer_profile__plan");
        assertThatThrownBy(() -> runWith(warehouse, AnalysisOptions.DEFAULT.withBreakdown(null, "customer_profile__x"),
                Experiment.Analysis.DEFAULT)).isInstanceOf(AnalysisException.class).hasMessageContaining("no feature 'x'");
        // The variant and key columns are what the experiment is, not slices of it.
        assertThatThrownBy(() -> runWith(warehouse, AnalysisOptions.DEFAULT.withBreakdown(null, "variant"),
                Experiment.Analysis.DEFAULT)).isInstanceOf(AnalysisException.class).hasMessageContaining("unknown slice");
        // A column with a value per subject is not a slice: refused before more than 100 groups are read.
        assertThatThrownBy(() -> runWith(warehouse, AnalysisOptions.DEFAULT.withBreakdown(null, "visit"),
                Experiment.Analysis.DEFAULT)).isInstanceOf(AnalysisException.class)
                .hasMessageContaining("slice 'visit' has more than 100 values");
        assertThatThrownBy(() -> AnalysisOptions.DEFAULT.withBreakdown("week", null))
                .isInstanceOf(AnalysisException.class).hasMessageContaining("by must be 'day'");
        assertThatThrownBy(() -> AnalysisOptions.DEFAULT.withBreakdown("day", "country"))
                .isInstanceOf(AnalysisException.class).hasMessageContaining("cannot be combined");
    }

    private double[] column(int variant, int index) {
        return subjects.stream().filter(s -> s[0] == variant).mapToDouble(s -> s[index]).toArray();
    }
}
