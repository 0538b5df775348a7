package dev.fletcher.server.monitor;

import static dev.fletcher.server.problem.RequestException.invalid;
import static dev.fletcher.server.problem.Subject.MONITOR;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.catalog.model.Monitor;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.catalog.persistence.MonitorEvaluation;
import dev.fletcher.catalog.persistence.MonitorStore;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.MetricQuery;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.server.metrics.JsonRows;
import dev.fletcher.server.metrics.MetricQueries;
import dev.fletcher.server.metrics.PreparedMetricQuery;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.warehouse.WarehouseCall;
import dev.fletcher.server.warehouse.Warehouses;
import dev.fletcher.spi.PluginException;
import dev.fletcher.engine.sql.DriftSql;
import dev.fletcher.engine.sql.TrainingSetQuery;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Evaluates monitors (CONTRACT §8) in the warehouse and keeps the results. A threshold monitor is its metric as a
 * metrics query over (T - window - maturity, T - maturity]; a drift monitor is a statistic over the values of the
 * current window (T - window, T] against the baseline before it, computed by {@link DriftSql}. Only the one number
 * each evaluation gives leaves the warehouse.
 */
@ApplicationScoped
public class Monitors {
    private static final Duration MICRO = Duration.ofNanos(1_000);

    private final MetricQueries metrics;
    private final Warehouses warehouses;
    private final MonitorStore store;
    private final AlertWebhook webhook;

    @Inject
    public Monitors(MetricQueries metrics, Warehouses warehouses, MonitorStore store, AlertWebhook webhook) {
        this.metrics = metrics;
        this.warehouses = warehouses;
        this.store = store;
        this.webhook = webhook;
    }

    public Catalog catalog() {
        return metrics.catalog();
    }

    public Monitor monitor(Catalog catalog, String name) {
        return catalog.monitor(name).orElseThrow(() -> new RequestException(Reason.NOT_FOUND, MONITOR,
                "there is no monitor named '" + name + "' in the catalog; apply one (kind: " + Kind.MONITOR.id()
                        + ") first"));
    }

    public List<MonitorEvaluation> recent(String name, int limit) {
        return store.recent(name, limit);
    }

    public Optional<Instant> latest(String name) {
        return store.latest(name);
    }

    /** Evaluates the monitor at {@code at}, keeps the evaluation and reports a change of state. */
    public MonitorEvaluation evaluate(String name, Instant at) {
        Catalog catalog = catalog();
        Monitor monitor = monitor(catalog, name);
        Instant ranAt = Instant.now();
        MonitorEvaluation evaluation;
        try {
            evaluation = monitor instanceof Monitor.Threshold threshold ? threshold(catalog, threshold, at, ranAt)
                    : drift(catalog, (Monitor.Drift) monitor, at, ranAt);
        } catch (RequestException | PluginException e) {
            // a plugin's own exception comes from reading an answer, after the query was checked
            Reason reason = e instanceof RequestException refused ? refused.reason() : Reason.WAREHOUSE_FAILED;
            throw new RequestException(reason, MONITOR, "monitor '" + name + "' " + (reason == Reason.WAREHOUSE_FAILED
                    ? "failed in the warehouse: " : "cannot be evaluated: ")
                    + dev.fletcher.server.warehouse.WarehouseMessages.withoutValues(e.getMessage()), e);
        }
        Optional<MonitorEvaluation> previous = store.record(evaluation);
        String before = previous.map(MonitorEvaluation::state).orElse(null);
        if (!evaluation.state().equals(before) && !(before == null && evaluation.state().equals(MonitorEvaluation.OK))) {
            webhook.changed(evaluation, before);
        }
        return evaluation;
    }

    private MonitorEvaluation threshold(Catalog catalog, Monitor.Threshold monitor, Instant at, Instant ranAt) {
        Instant end = at.minus(monitor.maturity().toDuration());
        Instant start = end.minus(monitor.window().toDuration());
        Double value;
        try (PreparedMetricQuery query = metrics.prepare(catalog, MetricQuery.trailing(monitor.metric(), start, end));
                ArrowReader reader = query.run()) {
            value = firstNumber(reader, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String state = value == null ? MonitorEvaluation.NO_DATA
                : monitor.alert().fires(value) ? MonitorEvaluation.ALERTING : MonitorEvaluation.OK;
        String detail = monitor.metric() + " over (" + start + ", " + end + "] = " + (value == null ? "no data"
                : String.format(Locale.ROOT, "%.6g", value)) + "; alerts " + alertText(monitor.alert());
        return new MonitorEvaluation(monitor.name(), at, value, state, detail, ranAt);
    }

    private MonitorEvaluation drift(Catalog catalog, Monitor.Drift monitor, Instant at, Instant ranAt) {
        Monitor.DriftTest test = monitor.drift();
        Instant currentStart = at.minus(test.window().toDuration());
        Instant baselineStart = currentStart.minus(test.baseline().toDuration());
        Source source;
        if (monitor.watchesFeature()) {
            FeatureView view = catalog.featureView(monitor.featureView()).orElseThrow(() -> invalid(MONITOR,
                    "feature view '" + monitor.featureView() + "' is not in the catalog"));
            source = catalog.source(view.source()).orElseThrow(() -> invalid(MONITOR, "source '" + view.source()
                    + "' is not in the catalog"));
        } else {
            source = catalog.source(monitor.source()).orElseThrow(() -> invalid(MONITOR, "source '"
                    + monitor.source() + "' is not in the catalog"));
        }
        double[] result;
        try (WarehouseCall call = warehouses.call(source.warehouse(), "monitor " + monitor.name(), MONITOR)) {
            result = call.run(c -> {
                Dialect dialect = c.dialect();
                Statement values;
                if (monitor.watchesFeature()) {
                    FeatureRef ref = new FeatureRef(monitor.featureView(), monitor.feature());
                    // A time range is [start, end); the windows are (start, end]: both moved by one microsecond.
                    TrainingSetRequest request = new TrainingSetRequest(List.of(ref), new EntityInput.TimeRange(
                            baselineStart.plus(MICRO), at.plus(MICRO)), null, false);
                    TrainingSetQuery query = TrainingSetQuery.prepare(catalog, request, dialect, c.session(),
                            c.allocator());
                    values = DriftSql.featureValues(query.statement(), ref.column(), request.timestampColumn(),
                            currentStart, dialect);
                } else {
                    values = DriftSql.columnValues(source, monitor.column(), baselineStart, currentStart, at, dialect);
                }
                Statement statement = DriftSql.render(values, test.method(), test.bins() == null ? 0 : test.bins(),
                        dialect);
                try (ArrowReader reader = c.session().query(statement, c.allocator())) {
                    Double stat = firstNumber(reader, 0);
                    VectorSchemaRoot root = reader.getVectorSchemaRoot();
                    return new double[] {stat == null ? Double.NaN : stat,
                            ((Number) JsonRows.value(root.getVector(1), 0)).doubleValue(),
                            ((Number) JsonRows.value(root.getVector(2), 0)).doubleValue()};
                }
            });
        }
        Double value = Double.isNaN(result[0]) ? null : result[0];
        String state = value == null ? MonitorEvaluation.NO_DATA
                : value > test.threshold() ? MonitorEvaluation.ALERTING : MonitorEvaluation.OK;
        String what = monitor.watchesFeature() ? monitor.featureView() + ":" + monitor.feature()
                : monitor.source() + "." + monitor.column();
        String detail = test.method().id() + " of " + what + ": current (" + currentStart + ", " + at + "] ("
                + (long) result[2] + " values) against baseline (" + baselineStart + ", " + currentStart + "] ("
                + (long) result[1] + " values) = " + (value == null ? "no data" : String.format(Locale.ROOT, "%.6g",
                value)) + "; alerts above " + test.threshold();
        return new MonitorEvaluation(monitor.name(), at, value, state, detail, ranAt);
    }

    /** The first row's value in column {@code column} as a double; null without rows or for a null. */
    private static Double firstNumber(ArrowReader reader, int column) throws IOException {
        if (!reader.loadNextBatch() || reader.getVectorSchemaRoot().getRowCount() == 0) {
            return null;
        }
        Object value = JsonRows.value(reader.getVectorSchemaRoot().getVector(column), 0);
        if (value == null) {
            return null;
        }
        double number = ((Number) value).doubleValue();
        return Double.isNaN(number) ? null : number;
    }

    static String alertText(Monitor.Alert alert) {
        if (alert.below() != null && alert.above() != null) {
            return "below " + alert.below() + " or above " + alert.above();
        }
        return alert.below() != null ? "below " + alert.below() : "above " + alert.above();
    }
}
