package dev.fletcher.server.monitor;

import static dev.fletcher.server.problem.RequestException.invalid;
import static dev.fletcher.server.problem.Subject.MONITOR;

import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.Monitor;
import dev.fletcher.catalog.persistence.MonitorEvaluation;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.PlanException;
import dev.fletcher.server.auth.Requires;
import dev.fletcher.server.auth.Role;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /api/v1/monitors}, {@code GET /api/v1/monitors/{name}}, {@code POST /api/v1/monitors/{name}/run}. */
@Path("/api/v1/monitors")
@Produces(MediaType.APPLICATION_JSON)
public class MonitorResource {
    private final Monitors monitors;
    private final MonitorConfig config;
    private final MonitorClock clock;

    @Inject
    public MonitorResource(Monitors monitors, MonitorConfig config, MonitorClock clock) {
        this.monitors = monitors;
        this.config = config;
        this.clock = clock;
    }

    @Requires(Role.READER)
    @GET
    @Operation(summary = "Every monitor with its current state")
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Monitor monitor : monitors.catalog().monitors()) {
            out.add(describe(monitor, 1));
        }
        return out;
    }

    @Requires(Role.READER)
    @GET
    @Path("/{name}")
    @Operation(summary = "A monitor's state, last values and alert")
    public Map<String, Object> get(@PathParam("name") String name) {
        Catalog catalog = monitors.catalog();
        return describe(monitors.monitor(catalog, name), Math.max(1, config.monitors().history()));
    }

    @Requires(Role.ANALYST)
    @POST
    @Path("/{name}/run")
    @Operation(summary = "Evaluate a monitor now (on the monitors' clock, fletcher.monitors.clock), or at ?at=T"
            + " (backfills)")
    public Map<String, Object> run(@PathParam("name") String name, @QueryParam("at") String at) {
        Instant when;
        if (at == null || at.isBlank()) {
            when = clock.now();
        } else {
            try {
                when = MetricPlanner.time(at, "at");
            } catch (PlanException e) {
                throw invalid(MONITOR, e.getMessage());
            }
        }
        return evaluation(monitors.evaluate(name, when));
    }

    private Map<String, Object> describe(Monitor monitor, int history) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", monitor.name());
        out.put("every", monitor.every().text());
        if (monitor instanceof Monitor.Threshold t) {
            out.put("type", "threshold");
            out.put("metric", t.metric());
            out.put("window", t.window().text());
            out.put("maturity", t.maturity().text());
            Map<String, Object> alert = new LinkedHashMap<>();
            if (t.alert().below() != null) {
                alert.put("below", t.alert().below());
            }
            if (t.alert().above() != null) {
                alert.put("above", t.alert().above());
            }
            out.put("alert", alert);
        } else {
            Monitor.Drift d = (Monitor.Drift) monitor;
            out.put("type", "drift");
            if (d.watchesFeature()) {
                out.put("feature_view", d.featureView());
                out.put("feature", d.feature());
            } else {
                out.put("source", d.source());
                out.put("column", d.column());
            }
            Map<String, Object> drift = new LinkedHashMap<>();
            drift.put("method", d.drift().method().id());
            drift.put("baseline", d.drift().baseline().text());
            drift.put("window", d.drift().window().text());
            if (d.drift().bins() != null) {
                drift.put("bins", d.drift().bins());
            }
            drift.put("threshold", d.drift().threshold());
            out.put("drift", drift);
        }
        List<MonitorEvaluation> recent = monitors.recent(monitor.name(), history);
        MonitorEvaluation last = recent.isEmpty() ? null : recent.get(0);
        out.put("state", last == null ? null : last.state());
        out.put("value", last == null ? null : last.value());
        out.put("evaluated_at", last == null ? null : last.at().toString());
        out.put("evaluations", recent.stream().map(MonitorResource::evaluation).toList());
        return out;
    }

    static Map<String, Object> evaluation(MonitorEvaluation e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("monitor", e.monitor());
        out.put("evaluated_at", e.at().toString());
        out.put("value", e.value());
        out.put("state", e.state());
        out.put("detail", e.detail());
        out.put("ran_at", e.ranAt().toString());
        return out;
    }
}
