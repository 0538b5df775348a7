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
import dev.fletcher.engine.sql.ExperimentSql;
import dev.fletcher.spi.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Welch and CUPED from sufficient statistics. Three passes over the per-subject relation, each one GROUP BY
 * variant: raw sums (for the shifts), sums and cross products of shifted values (X'X, X'y, y'y of every fit),
 * and, with the fitted coefficients bound as parameters, Σ e²·x xᵀ for HC1. What is computed from those sums is
 * in {@link CupedFit}, {@link RatioDelta}, {@link SampleRatioCheck} and {@link Comparisons}, which need no warehouse.
 */
final class CupedAnalysis implements ExperimentAnalysis {
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
    public Estimate compare(SummaryStatistics control, SummaryStatistics treatment, Double sequentialTuning) {
        if (sequentialTuning != null) {
            Readout.checkTuning(sequentialTuning);
        }
        Estimate estimate = compare(control, treatment);
        return sequentialTuning == null ? estimate
                : Readout.sequential(estimate, control.n() + treatment.n(), sequentialTuning);
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
        QuantileMetrics quantiles = plan.quantiles.isEmpty() ? null
                : QuantileMetrics.fetch(plan.quantiles, sql, runner.warehouse(), runner.allocator(), executor);
        List<MetricResult> results = new ArrayList<>();
        for (String variant : variants) {
            if (variant.equals(control)) {
                continue;
            }
            results.addAll(compareVariant(plan, runner, sql, sums, control, variant));
            if (quantiles != null) {
                results.addAll(quantiles.compare(control, variant));
            }
        }
        return Readout.read(new ExperimentResult(plan.experiment.name(), subjects,
                Map.of("multiple_variants", excludedCount), srm.pValue(), results, warnings), control,
                Set.copyOf(plan.experiment.guardrailMetrics()), plan.analysis);
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
        int metrics = plan.metrics.size();
        CupedFit[] fits = new CupedFit[metrics];
        List<List<String>> messages = new ArrayList<>();
        List<Map<String, Double>> means = new ArrayList<>();
        List<Estimate> unadjusted = new ArrayList<>();
        for (int m = 0; m < metrics; m++) {
            ExperimentPlan.MetricPlan metric = plan.metrics.get(m);
            List<String> notes = new ArrayList<>();
            Map<String, Double> groupMeans = new LinkedHashMap<>();
            long nc = sums.n(control);
            long nt = sums.n(variant);
            Estimate estimate = null;
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
                        CupedFit.Outcome fit = CupedFit.fit(metric.name(), metric.covariateNames(),
                                sums.regression(control, metric), sums.regression(variant, metric),
                                sums.shifts(metric.covariates()), plan.ridge);
                        fits[m] = fit.fit();
                        notes.addAll(fit.notes());
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
        }
        double[] seHc1 = robust(runner, sql, sums.shifts, control, variant, plan.metrics, fits);
        List<MetricResult> results = new ArrayList<>();
        for (int m = 0; m < metrics; m++) {
            CupedEstimate cuped = fits[m] == null ? null : fits[m].estimate(means.get(m).get(control), seHc1[m]);
            results.add(new MetricResult(plan.metrics.get(m).name(), variant, means.get(m), unadjusted.get(m), cuped,
                    messages.get(m)));
        }
        return results;
    }

    private static boolean constant(Comparisons.Moments c, Comparisons.Moments t) {
        double scale = 1e-12 * (Math.abs(c.mean()) + Math.abs(t.mean()) + 1e-300);
        return c.variance() <= scale * scale && t.variance() <= scale * scale;
    }

    /**
     * The HC1 standard error of every fit against this variant (by metric; NaN where there is no fit), from the sums
     * Σ e²·x xᵀ of one statistics pass.
     */
    private double[] robust(StatisticsRunner runner, ExperimentSql sql, double[] shifts, String control,
            String variant, List<ExperimentPlan.MetricPlan> metrics, CupedFit[] fits) {
        double[] seHc1 = new double[fits.length];
        Arrays.fill(seHc1, Double.NaN);
        List<ExperimentSql.Residual> residuals = new ArrayList<>();
        List<ExperimentSql.Term> terms = new ArrayList<>();
        int[] positions = new int[fits.length];
        for (int m = 0; m < fits.length; m++) {
            if (fits[m] == null) {
                continue;
            }
            List<Integer> covariates = metrics.get(m).covariates();
            int f = residuals.size();
            residuals.add(new ExperimentSql.Residual(metrics.get(m).values().get(0), covariates,
                    fits[m].coefficients()));
            positions[m] = terms.size();
            terms.add(new ExperimentSql.Term(f, List.of()));
            for (int i = 0; i < covariates.size(); i++) {
                terms.add(new ExperimentSql.Term(f, List.of(covariates.get(i))));
            }
            for (int i = 0; i < covariates.size(); i++) {
                for (int j = i; j < covariates.size(); j++) {
                    terms.add(new ExperimentSql.Term(f, List.of(covariates.get(i), covariates.get(j))));
                }
            }
        }
        if (residuals.isEmpty()) {
            return seHc1;
        }
        Map<String, StatisticsRunner.GroupSums> meat = runner.run(sql, shifts, List.of(control, variant), variant,
                residuals, terms);
        double[] c = meat.containsKey(control) ? meat.get(control).sums() : new double[terms.size()];
        double[] t = meat.containsKey(variant) ? meat.get(variant).sums() : new double[terms.size()];
        for (int m = 0; m < fits.length; m++) {
            if (fits[m] != null) {
                int k = metrics.get(m).covariates().size();
                seHc1[m] = fits[m].stdErrorHc1(weighted(c, positions[m], k), weighted(t, positions[m], k));
            }
        }
        return seHc1;
    }

    /** Σw, Σw·zᵢ and Σw·zᵢ·zⱼ (i ≤ j) of {@code k} covariates, laid out from {@code at} as {@link #robust} asks. */
    private static CupedFit.Weighted weighted(double[] sums, int at, int k) {
        double[] z = new double[k];
        double[][] zz = new double[k][k];
        int pair = at + 1 + k;
        for (int i = 0; i < k; i++) {
            z[i] = sums[at + 1 + i];
            for (int j = i; j < k; j++) {
                zz[i][j] = sums[pair];
                zz[j][i] = sums[pair];
                pair++;
            }
        }
        return new CupedFit.Weighted(sums[at], z, zz);
    }

    private static List<Integer> sorted(int a, int b) {
        return a <= b ? List.of(a, b) : List.of(b, a);
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

        double[] shifts(List<Integer> columns) {
            return columns.stream().mapToDouble(c -> shifts[c]).toArray();
        }

        /** A ratio metric's numerator and denominator in one variant. */
        RatioDelta.Group ratio(String variant, ExperimentPlan.MetricPlan metric) {
            int num = metric.values().get(0);
            int den = metric.values().get(1);
            return new RatioDelta.Group(variant, moments(variant, num), moments(variant, den),
                    covariance(variant, num, den));
        }

        /** What a simple metric's CUPED fit needs from one variant. */
        CupedFit.Group regression(String variant, ExperimentPlan.MetricPlan metric) {
            int y = metric.values().get(0);
            List<Integer> z = metric.covariates();
            double[] first = new double[z.size()];
            double[][] second = new double[z.size()][z.size()];
            double[] withY = new double[z.size()];
            for (int i = 0; i < z.size(); i++) {
                first[i] = sum(variant, z.get(i));
                withY[i] = sum(variant, z.get(i), y);
                for (int j = 0; j < z.size(); j++) {
                    second[i][j] = sum(variant, z.get(i), z.get(j));
                }
            }
            return new CupedFit.Group(n(variant), first, second, sum(variant, y), sum(variant, y, y), withY);
        }
    }
}
