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
import dev.fletcher.spi.analysis.AnalysisOptions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * and, with the fitted coefficients bound as parameters, Σ e²·x xᵀ for HC1. A breakdown by day or by slice repeats
 * the last two grouped by one more key, every group read with the same code, each group's coefficients its own. What is computed from those sums is
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
        StatisticsRunner runner = new StatisticsRunner(warehouse, request.allocator(), executor);
        String sliceName = request.options().slice();
        boolean byDay = AnalysisOptions.BY_DAY.equals(request.options().by());
        String variantColumn = plan.experiment.assignments().variant();
        // Sliced: one per-subject relation with each subject's slice, read whole and by slice.
        ExperimentSql inline = sliceName == null
                ? ExperimentSql.render(plan.assignments, plan.assignmentKeys, variantColumn, plan.values,
                        warehouse.dialect())
                : ExperimentSql.renderSliced(plan.assignments, plan.assignmentKeys, variantColumn, plan.values,
                        SlicePlan.resolve(request.catalog(), plan, sliceName, source -> runner.describe(
                                ExperimentSql.describeStatement(source, warehouse.dialect()))), warehouse.dialect());
        // By day: a relation of its own, a row per subject and day.
        ExperimentSql daily = !byDay ? null : ExperimentSql.renderDaily(plan.assignments, plan.assignmentKeys,
                variantColumn, plan.values, Instant.now(), warehouse.dialect());
        if (!staging) {
            return analyze(plan, runner, inline, null, daily, sliceName);
        }
        String table = scratch(warehouse);
        String dailyTable = daily == null ? null : scratch(warehouse);
        // The excluded subjects are counted beside the staging, which keeps only the others.
        CompletableFuture<Long> excluded = CompletableFuture.supplyAsync(
                () -> runner.scalar(inline.excludedStatement()), executor);
        try {
            runner.execute(inline.stageStatement(table));
            ExperimentSql stagedDaily = null;
            if (daily != null) {
                runner.execute(daily.stageStatement(dailyTable));
                stagedDaily = daily.staged(dailyTable);
            }
            return analyze(plan, runner, inline.staged(table), excluded, stagedDaily, sliceName);
        } finally {
            excluded.cancel(false);
            runner.dropTable(table);
            if (dailyTable != null) {
                runner.dropTable(dailyTable);
            }
        }
    }

    private static String scratch(Warehouse warehouse) {
        return warehouse.dialect().scratchTable("_fletcher_subjects_" + UUID.randomUUID().toString().replace("-", ""));
    }

    /**
     * The analysis, then its breakdown by day (over {@code daily}) or by slice (over {@code sql} itself, which then
     * carries each subject's slice), each in one grouped pass and one robust pass per treatment variant.
     */
    private ExperimentResult analyze(ExperimentPlan plan, StatisticsRunner runner, ExperimentSql sql,
            CompletableFuture<Long> excluded, ExperimentSql daily, String sliceName) {
        Whole whole = analyze(plan, runner, sql, excluded);
        if (daily != null) {
            return whole.result().withBreakdown(breakdown(plan, runner, daily, whole.shifts(), AnalysisOptions.BY_DAY,
                    MAX_DAYS));
        }
        if (sliceName != null) {
            return whole.result().withBreakdown(breakdown(plan, runner, sql, whole.shifts(), sliceName,
                    SlicePlan.MAX_SLICES));
        }
        return whole.result();
    }

    /** At most this many days are read out by day (a year and a day). */
    static final int MAX_DAYS = 367;

    /** The whole analysis and the shifts its sums were taken on. */
    private record Whole(ExperimentResult result, double[] shifts) {
    }

    /**
     * The analysis over the per-subject relation of {@code sql}; {@code excluded} counts the subjects left out when
     * that relation is staged (and is null when it is inline, whose statements count them themselves).
     */
    private Whole analyze(ExperimentPlan plan, StatisticsRunner runner, ExperimentSql sql,
            CompletableFuture<Long> excluded) {
        int k = plan.values.size();

        Map<List<Integer>, Integer> termIndex = termIndex(plan);
        List<ExperimentSql.Term> terms = terms(termIndex);
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
        List<String> variants = variants(plan, moments.keySet());
        QuantileMetrics quantiles = plan.quantiles.isEmpty() ? null
                : QuantileMetrics.fetch(plan.quantiles, sql, runner.warehouse(), runner.allocator(), executor);
        List<MetricResult> compared = new ArrayList<>();
        for (String variant : variants) {
            if (!variant.equals(control)) {
                compared.addAll(compareVariant(plan, runner, sql, false, Map.of(StatisticsRunner.ALL, sums), control,
                        variant).getOrDefault(StatisticsRunner.ALL, List.of()));
                if (quantiles != null) {
                    compared.addAll(quantiles.compare(control, variant));
                }
            }
        }
        ExperimentResult.Group read = read(plan, null, sums, variants, compared, false);
        return new Whole(new ExperimentResult(plan.experiment.name(), read.subjects(),
                Map.of("multiple_variants", excludedCount), read.srmPValue(), read.results(), read.warnings(),
                plan.analysis, Readout.ALPHA), shifts);
    }

    private static Map<List<Integer>, Integer> termIndex(ExperimentPlan plan) {
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
        return termIndex;
    }

    private static List<ExperimentSql.Term> terms(Map<List<Integer>, Integer> termIndex) {
        return termIndex.keySet().stream().map(c -> new ExperimentSql.Term(-1, c)).toList();
    }

    /** The control, the planned variants, then any other variant seen, by name. */
    private static List<String> variants(ExperimentPlan plan, Set<String> seen) {
        LinkedHashSet<String> variants = new LinkedHashSet<>();
        variants.add(plan.experiment.control());
        variants.addAll(plan.experiment.split().keySet());
        variants.addAll(new TreeSet<>(seen));
        return List.copyOf(variants);
    }

    /**
     * One group's subjects, sample ratio test and results, read as the experiment asks.
     *
     * @param slice whether the group is a slice, whose small variants carry a warning
     */
    private static ExperimentResult.Group read(ExperimentPlan plan, String key, Sums sums, List<String> variants,
            List<MetricResult> results, boolean slice) {
        Map<String, Long> subjects = new LinkedHashMap<>();
        variants.forEach(v -> subjects.put(v, sums.n(v)));
        SampleRatioCheck srm = SampleRatioCheck.of(subjects, plan.experiment.split());
        List<String> warnings = new ArrayList<>();
        if (srm.warning() != null) {
            warnings.add(srm.warning());
        }
        if (slice) {
            List<String> small = subjects.entrySet().stream().filter(e -> e.getValue() < SlicePlan.MIN_SUBJECTS)
                    .map(e -> e.getKey() + " " + e.getValue()).toList();
            if (!small.isEmpty()) {
                warnings.add("slice " + (key == null ? "(no value)" : "'" + key + "'") + " is small (" + String.join(", ",
                        small) + " subjects, fewer than " + SlicePlan.MIN_SUBJECTS + " in a variant): its estimates and"
                        + " sample ratio test rest on large-sample approximations that may not hold here");
            }
        }
        ExperimentResult readOut = Readout.read(new ExperimentResult(plan.experiment.name(), subjects, Map.of(),
                srm.pValue(), results, warnings), plan.experiment.control(),
                Set.copyOf(plan.experiment.guardrailMetrics()), plan.analysis);
        return new ExperimentResult.Group(key, subjects, srm.pValue(), readOut.results(), warnings);
    }

    /**
     * The analysis per group of {@code sql}'s {@link ExperimentSql#GROUP}: one grouped statistics pass, each group
     * read with the code of the whole analysis, then one robust pass per treatment variant for every group's fits.
     */
    private ExperimentResult.Breakdown breakdown(ExperimentPlan plan, StatisticsRunner runner, ExperimentSql sql,
            double[] shifts, String by, int maxGroups) {
        boolean byDay = AnalysisOptions.BY_DAY.equals(by);
        Map<List<Integer>, Integer> termIndex = termIndex(plan);
        Map<Object, Map<String, StatisticsRunner.GroupSums>> grouped = runner.runGrouped(sql, shifts, null, null,
                List.of(), terms(termIndex), maxGroups, byDay
                        ? "the experiment spans more than " + maxGroups + " days; by=day reads out at most that many"
                        : "slice '" + by + "' has more than " + maxGroups + " values; slice by a dimension with fewer"
                                + " values (a slice is a group of subjects, not one subject)");
        List<Object> keys = new ArrayList<>(grouped.keySet());
        if (byDay) {
            keys.sort(java.util.Comparator.comparing(key -> (Instant) key));
        } else {
            // Largest slice first, no value last, ties by value.
            keys.sort(java.util.Comparator.<Object, Boolean>comparing(key -> key == null)
                    .thenComparing(key -> -grouped.get(key).values().stream()
                            .mapToLong(StatisticsRunner.GroupSums::n).sum())
                    .thenComparing(key -> key == null ? "" : (String) key));
        }
        Map<Object, Sums> sums = new LinkedHashMap<>();
        Set<String> seen = new TreeSet<>();
        for (Object key : keys) {
            sums.put(key, new Sums(grouped.get(key), termIndex, shifts));
            seen.addAll(grouped.get(key).keySet());
        }
        List<String> variants = variants(plan, seen);
        String control = plan.experiment.control();
        Map<Object, List<MetricResult>> compared = new LinkedHashMap<>();
        for (String variant : variants) {
            if (!variant.equals(control)) {
                compareVariant(plan, runner, sql, true, sums, control, variant)
                        .forEach((group, results) -> compared.computeIfAbsent(group, g -> new ArrayList<>())
                                .addAll(results));
            }
        }
        List<ExperimentResult.Group> groups = new ArrayList<>();
        for (Object key : keys) {
            String name = key == null ? null : byDay ? LocalDate.ofInstant((Instant) key, ZoneOffset.UTC).toString()
                    : (String) key;
            groups.add(read(plan, name, sums.get(key), variants, compared.getOrDefault(key, List.of()), !byDay));
        }
        return new ExperimentResult.Breakdown(by, groups);
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

    /** What one group's comparison of a variant with control found, before its robust errors. */
    private record Fitted(CupedFit[] fits, List<List<String>> messages, List<Map<String, Double>> means,
            List<Estimate> unadjusted) {
    }

    /**
     * One variant against control for every metric in every group, with one HC1 pass for all of their fits.
     *
     * @param grouped whether the groups are those of {@code sql}'s grouped statistics (else the one group
     *                {@link StatisticsRunner#ALL})
     */
    private Map<Object, List<MetricResult>> compareVariant(ExperimentPlan plan, StatisticsRunner runner,
            ExperimentSql sql, boolean grouped, Map<Object, Sums> groups, String control, String variant) {
        Map<Object, Fitted> fitted = new LinkedHashMap<>();
        double[] shifts = null;
        for (Map.Entry<Object, Sums> group : groups.entrySet()) {
            fitted.put(group.getKey(), fit(plan, group.getValue(), control, variant));
            shifts = group.getValue().shifts;
        }
        Map<Object, double[]> seHc1 = robust(runner, sql, grouped, shifts, control, variant, plan.metrics, fitted);
        Map<Object, List<MetricResult>> out = new LinkedHashMap<>();
        fitted.forEach((group, f) -> {
            List<MetricResult> results = new ArrayList<>();
            for (int m = 0; m < plan.metrics.size(); m++) {
                CupedEstimate cuped = f.fits()[m] == null ? null
                        : f.fits()[m].estimate(f.means().get(m).get(control), seHc1.get(group)[m]);
                results.add(new MetricResult(plan.metrics.get(m).name(), variant, f.means().get(m),
                        f.unadjusted().get(m), cuped, f.messages().get(m)));
            }
            out.put(group, results);
        });
        return out;
    }

    /** Every metric's unadjusted comparison and CUPED fit of one group's sums. */
    private static Fitted fit(ExperimentPlan plan, Sums sums, String control, String variant) {
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
        return new Fitted(fits, messages, means, unadjusted);
    }

    private static boolean constant(Comparisons.Moments c, Comparisons.Moments t) {
        double scale = 1e-12 * (Math.abs(c.mean()) + Math.abs(t.mean()) + 1e-300);
        return c.variance() <= scale * scale && t.variance() <= scale * scale;
    }

    /**
     * The HC1 standard error of every fit against this variant, by group and metric (NaN where there is no fit), from
     * the sums Σ e²·x xᵀ of one statistics pass; grouped, each group's residuals use its own coefficients.
     */
    private Map<Object, double[]> robust(StatisticsRunner runner, ExperimentSql sql, boolean grouped, double[] shifts,
            String control, String variant, List<ExperimentPlan.MetricPlan> metrics, Map<Object, Fitted> fitted) {
        Map<Object, double[]> seHc1 = new LinkedHashMap<>();
        fitted.keySet().forEach(group -> {
            double[] se = new double[metrics.size()];
            Arrays.fill(se, Double.NaN);
            seHc1.put(group, se);
        });
        List<ExperimentSql.Residual> residuals = new ArrayList<>();
        List<ExperimentSql.Term> terms = new ArrayList<>();
        int[] positions = new int[metrics.size()];
        for (int m = 0; m < metrics.size(); m++) {
            Map<Object, double[]> coefficients = new LinkedHashMap<>();
            for (Map.Entry<Object, Fitted> group : fitted.entrySet()) {
                CupedFit fit = group.getValue().fits()[m];
                if (fit != null) {
                    coefficients.put(group.getKey(), fit.coefficients());
                }
            }
            if (coefficients.isEmpty()) {
                continue;
            }
            List<Integer> covariates = metrics.get(m).covariates();
            int f = residuals.size();
            int y = metrics.get(m).values().get(0);
            residuals.add(grouped ? ExperimentSql.Residual.byGroup(y, covariates, coefficients)
                    : new ExperimentSql.Residual(y, covariates, coefficients.values().iterator().next()));
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
        Map<Object, Map<String, StatisticsRunner.GroupSums>> meat = grouped
                ? runner.runGrouped(sql, shifts, List.of(control, variant), variant, residuals, terms, Integer.MAX_VALUE,
                        null)
                : Map.of(StatisticsRunner.ALL, runner.run(sql, shifts, List.of(control, variant), variant, residuals,
                        terms));
        for (Map.Entry<Object, Fitted> group : fitted.entrySet()) {
            Map<String, StatisticsRunner.GroupSums> byVariant = meat.getOrDefault(group.getKey(), Map.of());
            double[] c = byVariant.containsKey(control) ? byVariant.get(control).sums() : new double[terms.size()];
            double[] t = byVariant.containsKey(variant) ? byVariant.get(variant).sums() : new double[terms.size()];
            CupedFit[] fits = group.getValue().fits();
            for (int m = 0; m < fits.length; m++) {
                if (fits[m] != null) {
                    int k = metrics.get(m).covariates().size();
                    seHc1.get(group.getKey())[m] = fits[m].stdErrorHc1(weighted(c, positions[m], k),
                            weighted(t, positions[m], k));
                }
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
