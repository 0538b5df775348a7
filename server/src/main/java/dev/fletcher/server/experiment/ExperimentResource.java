package dev.fletcher.server.experiment;

import static dev.fletcher.server.problem.RequestException.invalid;
import static dev.fletcher.server.problem.Subject.ANALYSIS;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fletcher.catalog.model.Experiment;
import dev.fletcher.server.auth.Requires;
import dev.fletcher.server.auth.Role;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.analysis.AnalysisException;
import dev.fletcher.spi.analysis.AnalysisOptions;
import dev.fletcher.spi.analysis.BayesianReadout;
import dev.fletcher.spi.analysis.CupedEstimate;
import dev.fletcher.spi.analysis.Decision;
import dev.fletcher.spi.analysis.Estimate;
import dev.fletcher.spi.analysis.ExperimentResult;
import dev.fletcher.spi.analysis.MetricResult;
import dev.fletcher.spi.analysis.QuantileEstimate;
import dev.fletcher.spi.analysis.PowerRequest;
import dev.fletcher.spi.analysis.SummaryStatistics;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Experiment analysis and the summary-statistics helpers (CONTRACT §4, §6). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ExperimentResource {
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private final ExperimentAnalyses analyses;

    @Inject
    public ExperimentResource(ExperimentAnalyses analyses) {
        this.analyses = analyses;
    }

    @Requires(Role.ANALYST)
    @POST
    @Path("/experiments/{name}/analysis")
    @Operation(summary = "Analyse an experiment", description = "Welch and CUPED per metric and treatment variant,"
            + " from sufficient statistics the warehouse computes. Body (optional): {\"cuped\": false} or"
            + " {\"cuped\": {\"covariates\": [metric...], \"ridge\": 0.0}}, and {\"analysis\": {\"sequential\": true,"
            + " \"tuning\": 5000, \"correction\": \"holm\", \"bayesian\": true}} in place of the experiment's own"
            + " analysis settings. ?by=day adds by_day, the cumulative result at the end of each day since the first"
            + " assignment; ?slice=<column of the assignment source or <feature_view>__<feature>> adds slices, the"
            + " result per value at each subject's first assignment.")
    @Consumes(MediaType.WILDCARD)
    public Response analyze(@PathParam("name") String name, @QueryParam("by") String by,
            @QueryParam("slice") String slice, @Context UriInfo uri, String body) {
        JsonNode options;
        try {
            options = body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid(ANALYSIS, "the body is not JSON: " + e.getOriginalMessage());
        }
        try {
            AnalysisOptions chosen = options(options);
            // A parameter sent empty (?slice=) may arrive as null: it is still a request for a breakdown.
            var query = uri.getQueryParameters();
            if (by == null && query.containsKey("by")) {
                by = "";
            }
            if (slice == null && query.containsKey("slice")) {
                slice = "";
            }
            if (by != null || slice != null) {
                chosen = chosen.withBreakdown(by, slice);
            }
            return Response.ok(json(analyses.analyze(name, chosen))).build();
        } catch (AnalysisException | IllegalArgumentException e) {
            throw invalid(ANALYSIS, e.getMessage());
        } catch (NotSupportedException e) {
            throw new RequestException(Reason.NOT_SUPPORTED, ANALYSIS, e.getMessage(), e);
        } catch (PluginException e) {
            throw new RequestException(Reason.WAREHOUSE_FAILED, ANALYSIS, "the warehouse could not run the analysis: "
                    + dev.fletcher.server.warehouse.WarehouseMessages.withoutValues(e.getMessage()), e);
        }
    }

    @Requires(Role.READER)
    @POST
    @Path("/stats/compare")
    @Operation(summary = "Compare two groups from summary statistics",
            description = "{\"variants\": {\"control\": {\"n\":…, \"sum\":…, \"sum_squares\":…}, \"treatment\": {…}}}"
                    + " → the unadjusted block of an analysis (Welch). With \"sequential\": true (and optionally"
                    + " \"sequential_tuning\": N*, default 5000), also the always-valid interval and p-value.")
    public Response compare(JsonNode body) {
        try {
            JsonNode variants = object(body, "body").get("variants");
            known(body, Set.of("variants", "control", "sequential", "sequential_tuning"), "body");
            Double tuning = sequentialTuning(body);
            if (variants == null || !variants.isObject() || variants.size() != 2) {
                throw new AnalysisException("variants must be an object with exactly two variants, e.g. {\"control\":"
                        + " {\"n\": 1000, \"sum\": 3120.5, \"sum_squares\": 15000.2}, \"treatment\": {...}}");
            }
            String control = body.hasNonNull("control") ? body.get("control").asText()
                    : variants.has("control") ? "control" : null;
            if (control == null || !variants.has(control)) {
                throw new AnalysisException("name the control variant: call it \"control\", or set \"control\": \"<name>\"");
            }
            String treatment = null;
            for (Iterator<String> names = variants.fieldNames(); names.hasNext();) {
                String v = names.next();
                if (!v.equals(control)) {
                    treatment = v;
                }
            }
            Estimate estimate = analyses.plugin().compare(summary(variants.get(control), control),
                    summary(variants.get(treatment), treatment), tuning);
            return Response.ok(estimate(estimate)).build();
        } catch (AnalysisException e) {
            throw invalid(ANALYSIS, e.getMessage());
        } catch (NotSupportedException e) {
            throw new RequestException(Reason.NOT_SUPPORTED, ANALYSIS, e.getMessage(), e);
        }
    }

    @Requires(Role.READER)
    @POST
    @Path("/power")
    @Operation(summary = "Subjects needed per variant", description = "{\"baseline_rate\": 0.02, \"mde_relative\":"
            + " 0.10, \"alpha\": 0.05, \"power\": 0.8} or baseline_mean with baseline_sd; optional variance_reduction.")
    public Response power(JsonNode body) {
        try {
            object(body, "body");
            known(body, Set.of("baseline_rate", "baseline_mean", "baseline_sd", "mde_relative", "alpha", "power",
                    "variance_reduction"), "body");
            Double mde = number(body, "mde_relative");
            if (mde == null) {
                throw new AnalysisException("mde_relative is required: the smallest relative lift worth detecting,"
                        + " e.g. 0.10");
            }
            Double alpha = number(body, "alpha");
            Double power = number(body, "power");
            PowerRequest request = new PowerRequest(number(body, "baseline_rate"), number(body, "baseline_mean"),
                    number(body, "baseline_sd"), mde, alpha == null ? 0.05 : alpha, power == null ? 0.8 : power,
                    number(body, "variance_reduction"));
            return Response.ok(Map.of("n_per_variant", analyses.plugin().sampleSize(request))).build();
        } catch (AnalysisException e) {
            throw invalid(ANALYSIS, e.getMessage());
        }
    }

    /** N* when the body asks for sequential intervals ({@code "sequential": true}), else null. */
    private static Double sequentialTuning(JsonNode body) {
        JsonNode sequential = body.get("sequential");
        if (sequential != null && !sequential.isNull() && !sequential.isBoolean()) {
            throw new AnalysisException("sequential must be true or false, got " + sequential);
        }
        boolean on = sequential != null && sequential.asBoolean();
        Double tuning = number(body, "sequential_tuning");
        if (tuning != null && !on) {
            throw new AnalysisException("sequential_tuning applies to sequential intervals: add \"sequential\": true");
        }
        if (tuning != null && !(tuning >= 1)) {
            throw new AnalysisException("sequential_tuning (N*, the number of subjects the sequential interval is"
                    + " tuned for) must be a positive number of subjects, at least 1, e.g. 5000; got " + tuning);
        }
        return on ? (tuning == null ? Experiment.Analysis.DEFAULT_TUNING : tuning) : null;
    }

    static AnalysisOptions options(JsonNode body) {
        if (body == null || body.isNull() || (body.isObject() && body.isEmpty())) {
            return AnalysisOptions.DEFAULT;
        }
        object(body, "body");
        known(body, Set.of("cuped", "analysis"), "body");
        Experiment.Analysis analysis = body.hasNonNull("analysis") ? analysis(body.get("analysis")) : null;
        JsonNode cuped = body.get("cuped");
        if (cuped == null || cuped.isNull()) {
            return new AnalysisOptions(null, null, null, analysis);
        }
        if (cuped.isBoolean()) {
            return new AnalysisOptions(cuped.booleanValue(), null, null, analysis);
        }
        if (!cuped.isObject()) {
            throw new AnalysisException("cuped must be false, true or an object {\"covariates\": [...], \"ridge\": λ}");
        }
        known(cuped, Set.of("covariates", "ridge"), "cuped");
        List<String> covariates = null;
        JsonNode list = cuped.get("covariates");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new AnalysisException("cuped.covariates must be a list of metric names");
            }
            covariates = new ArrayList<>();
            for (JsonNode item : list) {
                if (!item.isTextual()) {
                    throw new AnalysisException("cuped.covariates must hold metric names (strings), got " + item);
                }
                covariates.add(item.asText());
            }
        }
        return new AnalysisOptions(true, covariates, number(cuped, "ridge"), analysis);
    }

    /** The body's {@code analysis}, read as the experiment definition's {@code analysis} is. */
    private static Experiment.Analysis analysis(JsonNode node) {
        object(node, "analysis");
        known(node, Set.of("sequential", "tuning", "correction", "bayesian"), "analysis");
        JsonNode sequential = node.get("sequential");
        if (sequential != null && !sequential.isNull() && !sequential.isBoolean()) {
            throw new AnalysisException("analysis.sequential must be true or false, got " + sequential);
        }
        boolean on = sequential != null && sequential.asBoolean();
        Double tuning = number(node, "tuning");
        if (tuning != null && !on) {
            throw new AnalysisException("analysis.tuning applies to sequential intervals: add \"sequential\": true");
        }
        if (tuning != null && !(tuning >= 1)) {
            throw new AnalysisException("analysis.tuning (N*, the number of subjects the sequential interval is tuned"
                    + " for) must be a positive number of subjects, at least 1, e.g. 5000; got " + tuning);
        }
        Experiment.Correction correction = Experiment.Correction.NONE;
        JsonNode c = node.get("correction");
        if (c != null && !c.isNull()) {
            correction = c.isTextual() ? Experiment.Correction.fromId(c.asText()).orElse(null) : null;
            if (correction == null) {
                throw new AnalysisException("analysis.correction must be one of none, holm, bh; got " + c);
            }
        }
        Experiment.Bayesian bayesian = null;
        JsonNode b = node.get("bayesian");
        if (b != null && !b.isNull()) {
            if (b.isBoolean()) {
                bayesian = b.booleanValue() ? Experiment.Bayesian.DEFAULT : null;
            } else if (b.isObject()) {
                known(b, Set.of("prior", "prior_mean", "prior_sd"), "analysis.bayesian");
                JsonNode prior = b.get("prior");
                if (prior != null && !prior.isNull() && !prior.isBoolean()) {
                    throw new AnalysisException("analysis.bayesian.prior must be false (a flat prior) or left out");
                }
                Double mean = number(b, "prior_mean");
                Double sd = number(b, "prior_sd");
                if (prior != null && !prior.isNull() && !prior.booleanValue()) {
                    if (mean != null || sd != null) {
                        throw new AnalysisException("analysis.bayesian.prior false means a flat prior; drop prior_mean"
                                + " and prior_sd");
                    }
                    bayesian = Experiment.Bayesian.FLAT;
                } else {
                    if (sd != null && !(sd > 0)) {
                        throw new AnalysisException("analysis.bayesian.prior_sd must be greater than 0, got " + sd);
                    }
                    bayesian = new Experiment.Bayesian(mean == null ? Experiment.Bayesian.DEFAULT.priorMean() : mean,
                            sd == null ? Experiment.Bayesian.DEFAULT.priorSd() : sd);
                }
            } else {
                throw new AnalysisException("analysis.bayesian must be true, false or {\"prior_mean\": 0, \"prior_sd\":"
                        + " 0.3}");
            }
        }
        return new Experiment.Analysis(on ? (tuning == null ? Experiment.Analysis.DEFAULT_TUNING : tuning) : null,
                correction, bayesian);
    }

    private static JsonNode object(JsonNode body, String what) {
        if (body == null || !body.isObject()) {
            throw new AnalysisException(what + " must be a JSON object");
        }
        return body;
    }

    private static void known(JsonNode node, Set<String> fields, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new AnalysisException("unknown field '" + name + "' in " + where + "; known: "
                        + fields.stream().sorted().toList());
            }
        }
    }

    private static Double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new AnalysisException(field + " must be a number, got " + value);
        }
        return value.doubleValue();
    }

    private static SummaryStatistics summary(JsonNode node, String variant) {
        if (node == null || !node.isObject()) {
            throw new AnalysisException("variant '" + variant + "' must be an object with n, sum and sum_squares");
        }
        known(node, Set.of("n", "sum", "sum_squares"), "variant '" + variant + "'");
        Double n = number(node, "n");
        Double sum = number(node, "sum");
        Double squares = number(node, "sum_squares");
        if (n == null || sum == null || squares == null) {
            throw new AnalysisException("variant '" + variant + "' needs n, sum and sum_squares");
        }
        if (n != Math.rint(n) || n < 0) {
            throw new AnalysisException("variant '" + variant + "': n must be a whole number of subjects, got " + n);
        }
        return new SummaryStatistics(n.longValue(), sum, squares);
    }

    static Map<String, Object> json(ExperimentResult result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", result.experiment());
        out.put("subjects", result.subjects());
        out.put("excluded", result.excluded());
        out.put("srm_p_value", result.srmPValue());
        out.put("results", results(result.results()));
        out.put("warnings", result.warnings());
        out.put("analysis", settings(result));
        ExperimentResult.Breakdown breakdown = result.breakdown();
        if (breakdown != null) {
            List<Object> groups = new ArrayList<>();
            for (ExperimentResult.Group group : breakdown.groups()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put(breakdown.byDay() ? "date" : "value", group.key());
                item.put("subjects", group.subjects());
                item.put("srm_p_value", group.srmPValue());
                item.put("results", results(group.results()));
                item.put("warnings", group.warnings());
                groups.add(item);
            }
            if (breakdown.byDay()) {
                out.put("by_day", groups);
            } else {
                out.put("slice", breakdown.by());
                out.put("slices", groups);
            }
        }
        return out;
    }

    private static List<Object> results(List<MetricResult> metricResults) {
        List<Object> results = new ArrayList<>();
        for (MetricResult r : metricResults) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("metric", r.metric());
            item.put("variant", r.variant());
            item.put("guardrail", r.guardrail());
            if (r.quantile() != null) {
                item.put("quantile", quantile(r.quantile()));
            }
            item.put("means", r.means());
            item.put("unadjusted", r.unadjusted() == null ? null : estimate(r.unadjusted()));
            item.put("cuped", r.cuped() == null ? null : cuped(r.cuped()));
            item.put("decision", r.decision() == null ? null : decision(r.decision()));
            if (r.bayesian() != null) {
                item.put("bayesian", bayesian(r.bayesian()));
            }
            if (!r.messages().isEmpty()) {
                item.put("messages", r.messages());
            }
            results.add(item);
        }
        return results;
    }

    private static Map<String, Object> quantile(QuantileEstimate q) {
        Map<String, Object> variants = new LinkedHashMap<>();
        q.variants().forEach((variant, i) -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("estimate", i.estimate());
            v.put("ci_low", i.ciLow());
            v.put("ci_high", i.ciHigh());
            v.put("std_error", i.stdError());
            variants.put(variant, v);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("probability", q.probability());
        out.put("variants", variants);
        return out;
    }

    private static Map<String, Object> settings(ExperimentResult result) {
        Experiment.Analysis a = result.analysis();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alpha", result.alpha());
        out.put("interval", a.sequential() ? Decision.SEQUENTIAL : Decision.FIXED_HORIZON);
        out.put("sequential_tuning", a.sequentialTuning());
        out.put("correction", a.correction().id());
        Map<String, Object> bayesian = null;
        if (a.bayesian() != null) {
            bayesian = new LinkedHashMap<>();
            bayesian.put("prior_mean", a.bayesian().priorMean());
            bayesian.put("prior_sd", a.bayesian().priorSd());
        }
        out.put("bayesian", bayesian);
        return out;
    }

    private static Map<String, Object> decision(Decision d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("estimate", d.estimate());
        out.put("interval", d.interval());
        out.put("ci_low", d.ciLow());
        out.put("ci_high", d.ciHigh());
        out.put("p_value", d.pValue());
        out.put("p_value_adjusted", d.pValueAdjusted());
        out.put("significant", d.significant());
        return out;
    }

    private static Map<String, Object> bayesian(BayesianReadout b) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("estimate", b.estimate());
        out.put("prior_mean", b.priorMean());
        out.put("prior_sd", b.priorSd());
        out.put("lift_mean", b.posteriorMean());
        out.put("lift_sd", b.posteriorSd());
        out.put("ci_low", b.ciLow());
        out.put("ci_high", b.ciHigh());
        out.put("chance_to_win", b.chanceToWin());
        out.put("expected_loss", b.expectedLoss());
        return out;
    }

    private static Map<String, Object> sequential(Estimate.Sequential s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tuning", s.tuning());
        out.put("ci_low", s.ciLow());
        out.put("ci_high", s.ciHigh());
        out.put("p_value", s.pValue());
        return out;
    }

    private static Map<String, Object> estimate(Estimate e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("estimate", e.estimate());
        out.put("std_error", e.stdError());
        out.put("ci_low", e.ciLow());
        out.put("ci_high", e.ciHigh());
        out.put("p_value", e.pValue());
        out.put("relative", relative(e.relative(), e.sequential()));
        if (e.sequential() != null) {
            out.put("sequential", sequential(e.sequential()));
        }
        return out;
    }

    private static Map<String, Object> cuped(CupedEstimate c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("covariates", c.covariates());
        out.put("estimate", c.estimate().estimate());
        out.put("std_error", c.estimate().stdError());
        out.put("std_error_hc1", c.stdErrorHc1());
        out.put("ci_low", c.estimate().ciLow());
        out.put("ci_high", c.estimate().ciHigh());
        out.put("p_value", c.estimate().pValue());
        out.put("variance_reduction", c.varianceReduction());
        out.put("relative", relative(c.estimate().relative(), c.estimate().sequential()));
        if (c.estimate().sequential() != null) {
            out.put("sequential", sequential(c.estimate().sequential()));
        }
        return out;
    }

    private static Map<String, Object> relative(Estimate.Interval r, Estimate.Sequential sequential) {
        if (r == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("estimate", r.estimate());
        out.put("ci_low", r.ciLow());
        out.put("ci_high", r.ciHigh());
        if (Double.isFinite(r.stdError())) {
            out.put("std_error", r.stdError());
        }
        if (sequential != null && sequential.relative() != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("ci_low", sequential.relative().ciLow());
            s.put("ci_high", sequential.relative().ciHigh());
            out.put("sequential", s);
        }
        return out;
    }
}
