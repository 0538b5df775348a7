package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.analysis.AnalysisException;
import dev.fletcher.spi.analysis.AnalysisRequest;
import dev.fletcher.spi.analysis.CupedEstimate;
import dev.fletcher.spi.analysis.Estimate;
import dev.fletcher.spi.analysis.ExperimentAnalysis;
import dev.fletcher.spi.analysis.ExperimentResult;
import dev.fletcher.spi.analysis.MetricResult;
import dev.fletcher.spi.analysis.PowerRequest;
import dev.fletcher.spi.analysis.SummaryStatistics;
import dev.fletcher.spi.sql.ExperimentSql;
import dev.fletcher.spi.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.ejml.simple.SimpleMatrix;

/**
 * Welch and CUPED from sufficient statistics. Three passes over the per-subject relation, each one GROUP BY
 * variant: raw sums (for the shifts), sums and cross products of shifted values (X'X, X'y, y'y of every fit),
 * and, with the fitted coefficients bound as parameters, Σ e²·x xᵀ for HC1.
 */
final class CupedAnalysis implements ExperimentAnalysis {
    /** Condition number (of X'X scaled to a unit diagonal) beyond which a fit is called singular. */
    private static final double MAX_CONDITION = 1e10;

    private final ExecutorService executor;
    private final boolean staging;

    CupedAnalysis(ExecutorService executor, boolean staging) {
        this.executor = executor;
        this.staging = staging;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public Estimate compare(SummaryStatistics control, SummaryStatistics treatment) {
        for (var entry : Map.of("control", control, "treatment", treatment).entrySet()) {
            SummaryStatistics s = entry.getValue();
            if (s.n() < 2) {
                throw new AnalysisException("variant '" + entry.getKey() + "' needs n of at least 2, got " + s.n());
            }
            if (!Double.isFinite(s.sum()) || !Double.isFinite(s.sumSquares())) {
                throw new AnalysisException("variant '" + entry.getKey() + "': sum and sum_squares must be finite numbers");
            }
            if (s.sumSquares() * s.n() < s.sum() * s.sum() * (1 - 1e-12)) {
                throw new AnalysisException("variant '" + entry.getKey() + "': sum_squares is below sum²/n, which no"
                        + " data can give; send the sum of the squared values");
            }
        }
        Comparisons.Moments c = new Comparisons.Moments(control.n(), control.mean(), control.variance());
        Comparisons.Moments t = new Comparisons.Moments(treatment.n(), treatment.mean(), treatment.variance());
        if (c.variance() == 0 && t.variance() == 0) {
            throw new AnalysisException("both variants have zero variance: there is no uncertainty to estimate");
        }
        return Comparisons.welch(c, t);
    }

    @Override
    public long sampleSize(PowerRequest request) {
        return Comparisons.sampleSize(request);
    }

    @Override
    public ExperimentResult analyze(AnalysisRequest request) {
        ExperimentPlan plan = new ExperimentPlan(request.catalog(), request.experiment(), request.options());
        Warehouse warehouse = request.warehouses().apply(plan.assignments.warehouse());
        ExperimentSql inline = ExperimentSql.render(plan.assignments, plan.assignmentKeys,
                plan.experiment.assignments().variant(), plan.values, warehouse.dialect());
        StatisticsRunner runner = new StatisticsRunner(warehouse, request.allocator(), executor);
        if (!staging) {
            return analyze(plan, runner, inline, null);
        }
        String table = warehouse.dialect().scratchTable("_fletcher_subjects_" + UUID.randomUUID().toString().replace("-", ""));
        // The excluded subjects are counted beside the staging, which keeps only the others.
        CompletableFuture<Long> excluded = CompletableFuture.supplyAsync(
                () -> runner.scalar(inline.excludedStatement()), executor);
        try {
            runner.execute(inline.stageStatement(table));
            return analyze(plan, runner, inline.staged(table), excluded);
        } finally {
            excluded.cancel(false);
            runner.dropTable(table);
        }
    }

    /**
     * The analysis over the per-subject relation of {@code sql}; {@code excluded} counts the subjects left out when
     * that relation is staged (and is null when it is inline, whose statements count them themselves).
     */
    private ExperimentResult analyze(ExperimentPlan plan, StatisticsRunner runner, ExperimentSql sql,
            CompletableFuture<Long> excluded) {
        int k = plan.values.size();

        Map<List<Integer>, Integer> termIndex = new LinkedHashMap<>();
        for (ExperimentPlan.MetricPlan metric : plan.metrics) {
            List<Integer> columns = new ArrayList<>(metric.values());
            columns.addAll(metric.covariates());
            for (int a = 0; a < columns.size(); a++) {
                termIndex.putIfAbsent(List.of(columns.get(a)), termIndex.size());
                for (int b = a; b < columns.size(); b++) {
                    termIndex.putIfAbsent(sorted(columns.get(a), columns.get(b)), termIndex.size());
                }
            }
        }
        List<ExperimentSql.Term> terms = termIndex.keySet().stream()
                .map(c -> new ExperimentSql.Term(-1, c)).toList();
        double[] shifts = new double[k];
        Map<String, StatisticsRunner.GroupSums> moments;
        long excludedCount;
        List<ExperimentSql.Term> onePass = new ArrayList<>(terms);
        for (int i = 0; i < k; i++) {
            onePass.add(ExperimentSql.Term.shift(i));
        }
        if (!sql.isStaged()) {
            onePass.add(ExperimentSql.Term.excluded());
        }
        if (runner.fitsOne(sql, null, onePass)) {
            // The usual case: the statement centres the values itself and returns the shifts it used.
            moments = runner.run(sql, null, null, null, List.of(), onePass);
            StatisticsRunner.GroupSums any = moments.values().stream().findFirst().orElse(null);
            for (int i = 0; i < k; i++) {
                shifts[i] = any == null ? 0 : any.sums()[terms.size() + i];
            }
            if (excluded != null) {
                excludedCount = join(excluded);
            } else {
                // Without any kept subject there is no group to carry the count: ask for it alone.
                excludedCount = any == null ? runner.scalar(sql.excludedStatement())
                        : Math.round(any.sums()[terms.size() + k]);
            }
        } else {
            // Too wide for one statement: every part must subtract the very same shifts, so they come first.
            CompletableFuture<Long> counted = excluded != null ? excluded : CompletableFuture.supplyAsync(
                    () -> runner.scalar(sql.excludedStatement()), executor);
            List<ExperimentSql.Term> linear = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                linear.add(ExperimentSql.Term.of(i));
            }
            Map<String, StatisticsRunner.GroupSums> raw = runner.run(sql, new double[k], null, null, List.of(), linear);
            long total = raw.values().stream().mapToLong(StatisticsRunner.GroupSums::n).sum();
            for (int i = 0; i < k; i++) {
                double sum = 0;
                for (StatisticsRunner.GroupSums g : raw.values()) {
                    sum += g.sums()[i];
                }
                shifts[i] = total == 0 ? 0 : sum / total;
            }
            moments = runner.run(sql, shifts, null, null, List.of(), terms);
            excludedCount = join(counted);
        }
        Sums sums = new Sums(moments, termIndex, shifts);

        String control = plan.experiment.control();
        LinkedHashSet<String> variants = new LinkedHashSet<>();
        variants.add(control);
        variants.addAll(plan.experiment.split().keySet());
        variants.addAll(new TreeSet<>(moments.keySet()));
        Map<String, Long> subjects = new LinkedHashMap<>();
        variants.forEach(v -> subjects.put(v, sums.n(v)));

        SampleRatioCheck srm = SampleRatioCheck.of(subjects, plan.experiment.split());
        List<String> warnings = new ArrayList<>();
        if (srm.warning() != null) {
            warnings.add(srm.warning());
        }
        List<MetricResult> results = new ArrayList<>();
        for (String variant : variants) {
            if (variant.equals(control)) {
                continue;
            }
            results.addAll(compareVariant(plan, runner, sql, sums, control, variant));
        }
        return new ExperimentResult(plan.experiment.name(), subjects,
                Map.of("multiple_variants", excludedCount), srm.pValue(), results, warnings);
    }

    private static long join(CompletableFuture<Long> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** One variant against control for every metric, with one HC1 pass for all of its fits. */
    private List<MetricResult> compareVariant(ExperimentPlan plan, StatisticsRunner runner, ExperimentSql sql,
            Sums sums, String control, String variant) {
        List<MetricResult> results = new ArrayList<>();
        List<Fit> fits = new ArrayList<>();
        List<Integer> fitOf = new ArrayList<>();
        List<List<String>> messages = new ArrayList<>();
        List<Map<String, Double>> means = new ArrayList<>();
        List<Estimate> unadjusted = new ArrayList<>();
        for (ExperimentPlan.MetricPlan metric : plan.metrics) {
            List<String> notes = new ArrayList<>();
            Map<String, Double> groupMeans = new LinkedHashMap<>();
            long nc = sums.n(control);
            long nt = sums.n(variant);
            Estimate estimate = null;
            Fit fit = null;
            if (nc == 0 || nt == 0) {
                notes.add("variant '" + (nc == 0 ? control : variant) + "' has no subjects: nothing to compare");
            } else if (nc < 2 || nt < 2) {
                notes.add("each variant needs at least 2 subjects; control has " + nc + ", " + variant + " " + nt);
            }
            if (metric.ratio()) {
                RatioDelta.Comparison ratio = RatioDelta.compare(metric.name(), sums.ratio(control, metric),
                        sums.ratio(variant, metric));
                groupMeans.putAll(ratio.means());
                estimate = ratio.estimate();
                if (ratio.note() != null) {
                    notes.add(ratio.note());
                }
            } else if (nc >= 2 && nt >= 2) {
                int y = metric.values().get(0);
                Comparisons.Moments c = sums.moments(control, y);
                Comparisons.Moments t = sums.moments(variant, y);
                groupMeans.put(control, c.mean());
                groupMeans.put(variant, t.mean());
                if (constant(c, t)) {
                    notes.add("metric '" + metric.name() + "' has the same value for every subject of both variants:"
                            + " there is no variance to test against");
                } else {
                    estimate = Comparisons.welch(c, t);
                    if (!metric.covariates().isEmpty()) {
                        fit = fit(plan, sums, metric, control, variant, notes);
                    }
                }
            } else {
                if (nc > 0) {
                    groupMeans.put(control, sums.moments(control, metric.values().get(0)).mean());
                }
                if (nt > 0) {
                    groupMeans.put(variant, sums.moments(variant, metric.values().get(0)).mean());
                }
            }
            if (metric.note() != null) {
                notes.add(metric.note());
            }
            messages.add(notes);
            means.add(groupMeans);
            unadjusted.add(estimate);
            fitOf.add(fit == null ? -1 : fits.size());
            if (fit != null) {
                fits.add(fit);
            }
        }
        if (!fits.isEmpty()) {
            robust(runner, sql, sums.shifts, control, variant, fits);
        }
        for (int m = 0; m < plan.metrics.size(); m++) {
            ExperimentPlan.MetricPlan metric = plan.metrics.get(m);
            CupedEstimate cuped = null;
            if (fitOf.get(m) >= 0) {
                Fit fit = fits.get(fitOf.get(m));
                cuped = fit.result(metric.covariateNames(), means.get(m).get(control));
            }
            results.add(new MetricResult(metric.name(), variant, means.get(m), unadjusted.get(m), cuped, messages.get(m)));
        }
        return results;
    }

    private static boolean constant(Comparisons.Moments c, Comparisons.Moments t) {
        double scale = 1e-12 * (Math.abs(c.mean()) + Math.abs(t.mean()) + 1e-300);
        return c.variance() <= scale * scale && t.variance() <= scale * scale;
    }

    /** y ~ 1 + treatment + covariates on the two variants' subjects, from their shifted sums. */
    private Fit fit(ExperimentPlan plan, Sums sums, ExperimentPlan.MetricPlan metric, String control, String variant,
            List<String> notes) {
        int y = metric.values().get(0);
        List<Integer> z = metric.covariates();
        int p = z.size() + 2;
        long nc = sums.n(control);
        long nt = sums.n(variant);
        long n = nc + nt;
        if (n <= p) {
            notes.add("CUPED needs more subjects than its " + p + " coefficients; it has " + n);
            return null;
        }
        for (int j = 0; j < z.size(); j++) {
            double s = sums.sum(control, z.get(j)) + sums.sum(variant, z.get(j));
            double ss = sums.sum(control, z.get(j), z.get(j)) + sums.sum(variant, z.get(j), z.get(j));
            double variance = (ss - s * s / n) / (n - 1);
            double scale = 1e-12 * (Math.abs(sums.shifts[z.get(j)] + s / n) + 1e-300);
            if (variance <= scale * scale) {
                notes.add("covariate '" + metric.covariateNames().get(j) + "' (before assignment) has the same value for"
                        + " every subject, so it cannot adjust '" + metric.name() + "'; CUPED is skipped");
                return null;
            }
        }
        SimpleMatrix xtx = new SimpleMatrix(p, p);
        SimpleMatrix xty = new SimpleMatrix(p, 1);
        xtx.set(0, 0, n);
        xtx.set(0, 1, nt);
        xtx.set(1, 1, nt);
        xty.set(0, 0, sums.sum(control, y) + sums.sum(variant, y));
        xty.set(1, 0, sums.sum(variant, y));
        for (int i = 0; i < z.size(); i++) {
            xtx.set(0, i + 2, sums.sum(control, z.get(i)) + sums.sum(variant, z.get(i)));
            xtx.set(1, i + 2, sums.sum(variant, z.get(i)));
            xty.set(i + 2, 0, sums.sum(control, z.get(i), y) + sums.sum(variant, z.get(i), y));
            for (int j = i; j < z.size(); j++) {
                xtx.set(i + 2, j + 2, sums.sum(control, z.get(i), z.get(j)) + sums.sum(variant, z.get(i), z.get(j)));
            }
        }
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < i; j++) {
                xtx.set(i, j, xtx.get(j, i));
            }
        }
        double yty = sums.sum(control, y, y) + sums.sum(variant, y, y);
        SimpleMatrix penalized = xtx.copy();
        for (int i = 2; i < p; i++) {
            penalized.set(i, i, penalized.get(i, i) + plan.ridge);
        }
        SimpleMatrix scale = new SimpleMatrix(p, p);
        for (int i = 0; i < p; i++) {
            scale.set(i, i, 1 / Math.sqrt(penalized.get(i, i)));
        }
        double condition = scale.mult(penalized).mult(scale).conditionP2();
        if (!(condition < MAX_CONDITION)) {
            notes.add("the covariates of '" + metric.name() + "' " + metric.covariateNames()
                    + " are collinear with each other or the treatment (X'X is singular): drop one, or set cuped.ridge");
            return null;
        }
        SimpleMatrix inverse = penalized.invert();
        SimpleMatrix beta = inverse.mult(xty);
        double rss = yty - 2 * beta.dot(xty) + beta.transpose().mult(xtx).mult(beta).get(0, 0);
        rss = Math.max(0, rss);
        double sigma2 = rss / (n - p);
        SimpleMatrix bread = inverse.mult(xtx).mult(inverse);
        double se = Math.sqrt(sigma2 * bread.get(1, 1));
        // y ~ 1 + treatment: the pooled within-variant variance.
        double rss0 = 0;
        for (String g : List.of(control, variant)) {
            double s = sums.sum(g, y);
            rss0 += sums.sum(g, y, y) - s * s / sums.n(g);
        }
        double seOls = Math.sqrt(Math.max(0, rss0) / (n - 2) * (1.0 / nc + 1.0 / nt));
        double[] coefficients = new double[p];
        for (int i = 0; i < p; i++) {
            coefficients[i] = beta.get(i, 0);
        }
        if (se == 0 || seOls == 0) {
            notes.add("the CUPED fit of '" + metric.name() + "' leaves no residual variance: there is nothing to test");
            return null;
        }
        return new Fit(y, z, coefficients, inverse, n, p, se, seOls);
    }

    /** The HC1 meat Σ e²·x xᵀ of every fit against this variant, in one statistics pass. */
    private void robust(StatisticsRunner runner, ExperimentSql sql, double[] shifts, String control, String variant,
            List<Fit> fits) {
        List<ExperimentSql.Residual> residuals = new ArrayList<>();
        List<ExperimentSql.Term> terms = new ArrayList<>();
        List<int[]> positions = new ArrayList<>();
        for (int f = 0; f < fits.size(); f++) {
            Fit fit = fits.get(f);
            residuals.add(new ExperimentSql.Residual(fit.y, fit.covariates, fit.coefficients));
            int start = terms.size();
            terms.add(new ExperimentSql.Term(f, List.of()));
            for (int i = 0; i < fit.covariates.size(); i++) {
                terms.add(new ExperimentSql.Term(f, List.of(fit.covariates.get(i))));
            }
            for (int i = 0; i < fit.covariates.size(); i++) {
                for (int j = i; j < fit.covariates.size(); j++) {
                    terms.add(new ExperimentSql.Term(f, List.of(fit.covariates.get(i), fit.covariates.get(j))));
                }
            }
            positions.add(new int[] {start});
        }
        Map<String, StatisticsRunner.GroupSums> meat = runner.run(sql, shifts, List.of(control, variant), variant,
                residuals, terms);
        double[] c = meat.containsKey(control) ? meat.get(control).sums() : new double[terms.size()];
        double[] t = meat.containsKey(variant) ? meat.get(variant).sums() : new double[terms.size()];
        for (int f = 0; f < fits.size(); f++) {
            Fit fit = fits.get(f);
            int at = positions.get(f)[0];
            int kz = fit.covariates.size();
            SimpleMatrix m = new SimpleMatrix(fit.p, fit.p);
            m.set(0, 0, c[at] + t[at]);
            m.set(0, 1, t[at]);
            m.set(1, 1, t[at]);
            for (int i = 0; i < kz; i++) {
                m.set(0, i + 2, c[at + 1 + i] + t[at + 1 + i]);
                m.set(1, i + 2, t[at + 1 + i]);
            }
            int pair = at + 1 + kz;
            for (int i = 0; i < kz; i++) {
                for (int j = i; j < kz; j++) {
                    m.set(i + 2, j + 2, c[pair] + t[pair]);
                    pair++;
                }
            }
            for (int i = 0; i < fit.p; i++) {
                for (int j = 0; j < i; j++) {
                    m.set(i, j, m.get(j, i));
                }
            }
            SimpleMatrix cov = fit.inverse.mult(m).mult(fit.inverse).scale((double) fit.n / (fit.n - fit.p));
            fit.seHc1 = Math.sqrt(Math.max(0, cov.get(1, 1)));
        }
    }

    private static List<Integer> sorted(int a, int b) {
        return a <= b ? List.of(a, b) : List.of(b, a);
    }

    /** A fit's pieces: what the HC1 pass binds and what the result reports. */
    private static final class Fit {
        final int y;
        final List<Integer> covariates;
        final double[] coefficients;
        final SimpleMatrix inverse;
        final long n;
        final int p;
        final double se;
        final double seOls;
        double seHc1 = Double.NaN;

        Fit(int y, List<Integer> covariates, double[] coefficients, SimpleMatrix inverse, long n, int p, double se,
                double seOls) {
            this.y = y;
            this.covariates = covariates;
            this.coefficients = coefficients;
            this.inverse = inverse;
            this.n = n;
            this.p = p;
            this.se = se;
            this.seOls = seOls;
        }

        CupedEstimate result(List<String> names, Double controlMean) {
            double estimate = coefficients[1];
            double df = n - p;
            double q = Distributions.tQuantile(1 - (1 - Comparisons.LEVEL) / 2, df);
            // Relative to the control mean taken as known: its own noise is small beside the coefficient's.
            Estimate.Interval relative = controlMean == null || controlMean == 0 ? null
                    : Comparisons.interval(estimate / controlMean, se / Math.abs(controlMean));
            Estimate e = new Estimate(estimate, se, estimate - q * se, estimate + q * se,
                    Distributions.tTwoSided(estimate / se, df), relative);
            return new CupedEstimate(names, e, seHc1, 1 - (se / seOls) * (se / seOls));
        }
    }

    /** Group sums by variant, addressed by the value indexes they multiply. */
    private static final class Sums {
        private final Map<String, StatisticsRunner.GroupSums> groups;
        private final Map<List<Integer>, Integer> index;
        final double[] shifts;

        Sums(Map<String, StatisticsRunner.GroupSums> groups, Map<List<Integer>, Integer> index, double[] shifts) {
            this.groups = groups;
            this.index = index;
            this.shifts = Arrays.copyOf(shifts, shifts.length);
        }

        long n(String variant) {
            StatisticsRunner.GroupSums g = groups.get(variant);
            return g == null ? 0 : g.n();
        }

        double sum(String variant, int... columns) {
            StatisticsRunner.GroupSums g = groups.get(variant);
            if (g == null) {
                return 0;
            }
            List<Integer> key = columns.length == 1 ? List.of(columns[0]) : sorted(columns[0], columns[1]);
            Integer at = index.get(key);
            if (at == null) {
                throw new IllegalStateException("sum of " + key + " was not computed");
            }
            return g.sums()[at];
        }

        Comparisons.Moments moments(String variant, int column) {
            long n = n(variant);
            double s = sum(variant, column);
            double ss = sum(variant, column, column);
            double variance = n < 2 ? 0 : Math.max(0, (ss - s * s / n) / (n - 1));
            return new Comparisons.Moments(n, shifts[column] + s / n, variance);
        }

        double covariance(String variant, int a, int b) {
            long n = n(variant);
            return (sum(variant, a, b) - sum(variant, a) * sum(variant, b) / n) / (n - 1);
        }

        /** A ratio metric's numerator and denominator in one variant. */
        RatioDelta.Group ratio(String variant, ExperimentPlan.MetricPlan metric) {
            int num = metric.values().get(0);
            int den = metric.values().get(1);
            return new RatioDelta.Group(variant, moments(variant, num), moments(variant, den),
                    covariance(variant, num, den));
        }
    }
}
