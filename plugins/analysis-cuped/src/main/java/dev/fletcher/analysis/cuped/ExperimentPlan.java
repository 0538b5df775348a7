package dev.fletcher.analysis.cuped;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.Experiment;
import dev.fletcher.catalog.model.Metric;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.engine.plan.RelativeWindow;
import dev.fletcher.spi.analysis.AnalysisException;
import dev.fletcher.spi.analysis.AnalysisOptions;
import dev.fletcher.engine.sql.ExperimentSql;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What an analysis computes per subject: the catalog's experiment and metrics turned into indexed values. */
final class ExperimentPlan {
    /**
     * One metric to report.
     *
     * @param values     the outcome's value index (simple), or numerator and denominator (ratio)
     * @param covariates value indexes of the covariates (empty when CUPED is off for it)
     * @param note       why CUPED is off for this metric although the analysis asked for it, or null
     */
    record MetricPlan(String name, boolean ratio, List<Integer> values, List<Integer> covariates,
            List<String> covariateNames, String note) {
    }

    /**
     * One quantile metric to report.
     *
     * @param value the per-subject value's index
     * @param note  why CUPED is off for it although the analysis asked for it, or null
     */
    record QuantilePlan(Experiment.QuantileMetric metric, int value, String note) {
    }

    final Experiment experiment;
    final Source assignments;
    final List<String> assignmentKeys;
    final List<ExperimentSql.Value> values = new ArrayList<>();
    final List<MetricPlan> metrics = new ArrayList<>();
    final List<QuantilePlan> quantiles = new ArrayList<>();
    final boolean cuped;
    final double ridge;
    /** How the estimates are read: the request's choice, else the experiment's. */
    final Experiment.Analysis analysis;
    private final Map<String, Integer> indexes = new LinkedHashMap<>();
    private final Catalog catalog;

    ExperimentPlan(Catalog catalog, String name, AnalysisOptions options) {
        this.catalog = catalog;
        this.experiment = catalog.experiment(name).orElseThrow(() -> new AnalysisException("there is no experiment named '"
                + name + "'; the catalog has: " + names(catalog.objects().stream()
                        .filter(Experiment.class::isInstance).map(CatalogObject::name).toList())));
        this.assignments = catalog.source(experiment.assignments().source()).orElseThrow(() -> new AnalysisException(
                "experiment '" + name + "' reads assignments from source '" + experiment.assignments().source()
                        + "', which is not in the catalog"));
        this.assignmentKeys = assignments.columnsOf(experiment.entity());
        if (assignmentKeys == null) {
            throw new AnalysisException("source '" + assignments.name() + "' does not map entity '" + experiment.entity()
                    + "': add it to the source's entity_columns");
        }
        this.cuped = !Boolean.FALSE.equals(options.cuped())
                && (experiment.cupedEnabled() || Boolean.TRUE.equals(options.cuped()) || options.covariates() != null);
        this.ridge = options.ridgeOrZero();
        this.analysis = options.analysis() != null ? options.analysis() : experiment.analysis();
        long window = experiment.window().seconds();
        long lookback = (experiment.cuped() != null ? experiment.cuped().lookback() : Experiment.DEFAULT_CUPED_LOOKBACK)
                .seconds();
        List<Metric.Simple> shared = new ArrayList<>();
        if (cuped && options.covariates() != null) {
            for (String covariate : options.covariates()) {
                Metric metric = metric(covariate, "cuped.covariates");
                if (!(metric instanceof Metric.Simple simple)) {
                    throw new AnalysisException("covariate '" + covariate + "' is a " + metric.type().toString()
                            .toLowerCase(java.util.Locale.ROOT) + " metric; covariates must be simple metrics");
                }
                shared.add(simple);
            }
        }
        for (String name2 : experiment.analysedMetrics()) {
            Metric metric = metric(name2, "metrics of experiment '" + name + "'");
            if (metric instanceof Metric.Simple simple) {
                int y = value(simple, RelativeWindow.forward(window), "outcome");
                List<Metric.Simple> covariates = !cuped ? List.of() : shared.isEmpty() ? List.of(simple) : shared;
                List<Integer> covariateValues = new ArrayList<>();
                for (Metric.Simple covariate : covariates) {
                    covariateValues.add(value(covariate, RelativeWindow.preceding(lookback), "covariate"));
                }
                metrics.add(new MetricPlan(name2, false, List.of(y), covariateValues,
                        covariates.stream().map(Metric.Simple::name).toList(), null));
            } else if (metric instanceof Metric.Ratio ratio) {
                Metric numerator = metric(ratio.numerator(), "numerator of '" + name2 + "'");
                Metric denominator = metric(ratio.denominator(), "denominator of '" + name2 + "'");
                if (!(numerator instanceof Metric.Simple n) || !(denominator instanceof Metric.Simple d)) {
                    throw new AnalysisException("ratio metric '" + name2 + "' needs simple metrics as numerator and"
                            + " denominator to be analysed per subject");
                }
                metrics.add(new MetricPlan(name2, true, List.of(value(n, RelativeWindow.forward(window), "outcome"),
                        value(d, RelativeWindow.forward(window), "outcome")), List.of(), List.of(),
                        cuped ? "CUPED is not available for ratio metrics yet; the unadjusted result uses the delta"
                                + " method" : null));
            } else {
                throw new AnalysisException("metric '" + name2 + "' is a " + metric.type().toString()
                        .toLowerCase(java.util.Locale.ROOT) + " metric; experiments analyse simple and ratio metrics");
            }
        }
        for (Experiment.QuantileMetric quantile : experiment.quantileMetrics()) {
            Metric metric = metric(quantile.metric(), "quantile_metrics of experiment '" + name + "'");
            if (!(metric instanceof Metric.Simple simple)) {
                throw new AnalysisException("quantile metric '" + quantile.label() + "' needs a simple metric; '"
                        + quantile.metric() + "' is a " + metric.type() + " metric");
            }
            quantiles.add(new QuantilePlan(quantile, value(simple, RelativeWindow.forward(window), "outcome"),
                    cuped ? "CUPED does not apply to quantiles: '" + quantile.label() + "' is the unadjusted difference"
                            + " of the variants' quantiles" : null));
        }
        if (metrics.isEmpty() && quantiles.isEmpty()) {
            throw new AnalysisException("experiment '" + name + "' lists no metrics");
        }
    }

    private Metric metric(String name, String where) {
        return catalog.metric(name).orElseThrow(() -> new AnalysisException("metric '" + name + "' (in " + where
                + ") is not in the catalog"));
    }

    private int value(Metric.Simple metric, RelativeWindow window, String role) {
        String key = metric.name() + "@" + window;
        Integer known = indexes.get(key);
        if (known != null) {
            return known;
        }
        if (!metric.measure().agg().isZeroWhenEmpty()) {
            throw new AnalysisException("metric '" + metric.name() + "' aggregates with " + metric.measure().agg()
                    + ", which has no value for a subject without rows; an experiment " + role
                    + " must be a sum, count or count_distinct (define averages as ratio metrics)");
        }
        if (metric.entity() != null && !metric.entity().equals(experiment.entity())) {
            throw new AnalysisException("metric '" + metric.name() + "' is per entity '" + metric.entity()
                    + "', experiment '" + experiment.name() + "' per '" + experiment.entity() + "'");
        }
        Source source = catalog.source(metric.source()).orElseThrow(() -> new AnalysisException("metric '"
                + metric.name() + "' reads source '" + metric.source() + "', which is not in the catalog"));
        List<String> keys = source.columnsOf(experiment.entity());
        if (keys == null) {
            throw new AnalysisException("source '" + source.name() + "' of metric '" + metric.name()
                    + "' does not map entity '" + experiment.entity() + "': add it to its entity_columns");
        }
        if (!Objects.equals(source.warehouse(), assignments.warehouse())) {
            throw new AnalysisException("metric '" + metric.name() + "' lives in warehouse '" + source.warehouse()
                    + "' and the assignments of '" + experiment.name() + "' in '" + assignments.warehouse()
                    + "'; an experiment is analysed inside one warehouse");
        }
        values.add(new ExperimentSql.Value(source, keys, metric.measure().agg(), metric.measure().expr(),
                metric.filter(), window));
        indexes.put(key, values.size() - 1);
        return values.size() - 1;
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names.stream().sorted().toList());
    }
}
