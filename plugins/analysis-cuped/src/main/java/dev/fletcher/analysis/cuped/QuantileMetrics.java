package dev.fletcher.analysis.cuped;

import dev.fletcher.engine.sql.ExperimentSql;
import dev.fletcher.spi.analysis.Estimate;
import dev.fletcher.spi.analysis.MetricResult;
import dev.fletcher.spi.analysis.QuantileEstimate;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * The experiment's quantile metrics: one statement per quantile over the per-subject relation (run concurrently),
 * returning each variant's order statistics, then {@link QuantileEffect} per treatment variant.
 */
final class QuantileMetrics {
    private final List<ExperimentPlan.QuantilePlan> plans;
    /** By quantile metric, by variant. */
    private final List<Map<String, QuantileEffect.OrderStatistics>> statistics;

    private QuantileMetrics(List<ExperimentPlan.QuantilePlan> plans,
            List<Map<String, QuantileEffect.OrderStatistics>> statistics) {
        this.plans = plans;
        this.statistics = statistics;
    }

    static QuantileMetrics fetch(List<ExperimentPlan.QuantilePlan> plans, ExperimentSql sql, Warehouse warehouse,
            BufferAllocator allocator, ExecutorService executor) {
        double z = Comparisons.normalQuantile();
        List<CompletableFuture<Map<String, QuantileEffect.OrderStatistics>>> parts = new ArrayList<>();
        for (ExperimentPlan.QuantilePlan plan : plans) {
            Statement statement = sql.quantiles(plan.value(), plan.metric().quantile(), z);
            parts.add(CompletableFuture.supplyAsync(() -> read(warehouse, allocator, statement), executor));
        }
        List<Map<String, QuantileEffect.OrderStatistics>> statistics = new ArrayList<>();
        for (CompletableFuture<Map<String, QuantileEffect.OrderStatistics>> part : parts) {
            try {
                statistics.add(part.join());
            } catch (CompletionException e) {
                parts.forEach(p -> p.cancel(false));
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw e;
            }
        }
        return new QuantileMetrics(plans, statistics);
    }

    private static Map<String, QuantileEffect.OrderStatistics> read(Warehouse warehouse, BufferAllocator allocator,
            Statement statement) {
        Map<String, QuantileEffect.OrderStatistics> out = new LinkedHashMap<>();
        try (WarehouseSession session = warehouse.openSession();
                ArrowReader reader = session.query(statement, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                for (int row = 0; row < root.getRowCount(); row++) {
                    out.put(String.valueOf(root.getVector(0).getObject(row)), new QuantileEffect.OrderStatistics(
                            number(root, 1, row).longValue(), number(root, 2, row).doubleValue(),
                            asDouble(number(root, 3, row)), asDouble(number(root, 4, row)),
                            number(root, 5, row).doubleValue(), number(root, 6, row).doubleValue()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Number number(VectorSchemaRoot root, int column, int row) {
        return (Number) root.getVector(column).getObject(row);
    }

    private static Double asDouble(Number n) {
        return n == null ? null : n.doubleValue();
    }

    /** Every quantile metric, this treatment variant against control. */
    List<MetricResult> compare(String control, String variant) {
        double z = Comparisons.normalQuantile();
        List<MetricResult> results = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            ExperimentPlan.QuantilePlan plan = plans.get(i);
            String label = plan.metric().label();
            Map<String, Double> quantiles = new LinkedHashMap<>();
            Map<String, Estimate.Interval> intervals = new LinkedHashMap<>();
            Map<String, QuantileEffect.Variant> variants = new LinkedHashMap<>();
            for (String v : List.of(control, variant)) {
                QuantileEffect.OrderStatistics s = statistics.get(i).get(v);
                if (s != null) {
                    QuantileEffect.Variant q = QuantileEffect.variant(s, z);
                    variants.put(v, q);
                    quantiles.put(v, q.point());
                    intervals.put(v, new Estimate.Interval(q.point(), q.low(), q.high(), q.stdError()));
                }
            }
            List<String> messages = new ArrayList<>();
            Estimate estimate = null;
            QuantileEffect.Variant c = variants.get(control);
            QuantileEffect.Variant t = variants.get(variant);
            if (c == null || t == null) {
                messages.add("variant '" + (c == null ? control : variant) + "' has no subjects: nothing to compare");
            } else if (c.n() < 2 || t.n() < 2) {
                messages.add("each variant needs at least 2 subjects; control has " + c.n() + ", " + variant + " "
                        + t.n());
            } else {
                QuantileEffect.Comparison comparison = QuantileEffect.compare(label, control, c, variant, t);
                estimate = comparison.estimate();
                messages.addAll(comparison.notes());
            }
            if (plan.note() != null) {
                messages.add(plan.note());
            }
            results.add(new MetricResult(plan.metric().metric(), variant, quantiles, estimate, null, messages,
                    plan.metric().guardrail(), null, null,
                    new QuantileEstimate(plan.metric().quantile(), intervals)));
        }
        return results;
    }
}
