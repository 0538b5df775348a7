package dev.fletcher.server.online;

import static dev.fletcher.server.problem.RequestException.invalid;
import static dev.fletcher.server.problem.Subject.ONLINE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.server.auth.Requires;
import dev.fletcher.server.auth.Role;
import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.trainingset.Times;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Online features: reads, materialization jobs, and the consistency check, all under {@code /api/v1}. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class OnlineResource {
    private final OnlineFeatures online;
    private final Jobs jobs;
    private final Consistency consistency;

    private final boolean streams;
    private final Timer readTimer;

    @Inject
    public OnlineResource(OnlineFeatures online, Jobs jobs, Consistency consistency,
            FletcherConfig config, MeterRegistry metrics) {
        this.readTimer = Timer.builder("fletcher.online.read")
                .description("server time of online reads, from the parsed request to the built answer")
                .publishPercentiles(0.5, 0.99).register(metrics);
        this.online = online;
        this.jobs = jobs;
        this.consistency = consistency;
        this.streams = config.streams().enabled();
    }

    /** With streams on, a view whose source has a stream is kept by its stream processor, not by batch runs. */
    private boolean streamFed(Catalog catalog, FeatureView view) {
        return streams && catalog.source(view.source()).map(s -> s.stream() != null).orElse(false);
    }

    /**
     * The answer carries {@code Server-Timing: online;dur=<ms>}: the server's own time for the lookup. Served on the
     * event loop with no worker hop: the catalog is an in-memory snapshot, reads are compiled once per catalog
     * version, and the store's answer completes the response on the store client's thread.
     */
    @Requires(Role.READER)
    @POST
    @Path("/online/features")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> features(JsonNode body) {
        long started = System.nanoTime();
        return online.readJsonAsync(body).thenApply(answer -> {
            long nanos = System.nanoTime() - started;
            readTimer.record(nanos, TimeUnit.NANOSECONDS);
            return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).header("Server-Timing", serverTiming(nanos))
                    .build();
        });
    }

    /** {@code online;dur=<ms>} with three decimals, written without {@code String.format}'s cost on every read. */
    static String serverTiming(long nanos) {
        long micros = Math.max(0, (nanos + 500) / 1000);
        long fraction = micros % 1000;
        return "online;dur=" + micros / 1000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }

    /** {@code {"feature_views": [...], "end": "...", "full": false}}; every field optional. Answers the queued job. */
    @Requires(Role.ANALYST)
    @POST
    @Path("/materialize")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response materialize(JsonNode body) {
        if (body != null && !body.isNull() && !body.isObject()) {
            throw invalid(ONLINE, "the request body must be a JSON object such as {\"feature_views\":"
                    + " [\"customer_profile\"], \"end\": \"2026-03-02T00:00:00Z\"}");
        }
        Set<String> known = Set.of("feature_views", "end", "full");
        if (body != null && body.isObject()) {
            for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    throw invalid(ONLINE, "unknown field '" + name + "'; known fields: end, feature_views, full");
                }
            }
        }
        Catalog current = online.catalog();
        JsonNode viewsNode = body == null ? null : body.get("feature_views");
        List<String> views = new ArrayList<>();
        if (viewsNode == null || viewsNode.isNull()) {
            Jobs.onlineViews(current).stream()
                    .filter(v -> !streamFed(current, current.featureView(v).orElseThrow())).forEach(views::add);
            if (views.isEmpty()) {
                throw invalid(ONLINE, "the catalog has no online feature views (online: true) to materialize"
                        + " in batch");
            }
        } else {
            if (!viewsNode.isArray() || viewsNode.isEmpty()) {
                throw invalid(ONLINE, "feature_views must be a non-empty list of feature view names");
            }
            for (JsonNode view : viewsNode) {
                if (!view.isTextual()) {
                    throw invalid(ONLINE, "feature_views must hold names, got " + view);
                }
                String name = view.asText();
                FeatureView definition = current.featureView(name).orElseThrow(() -> invalid(ONLINE,
                        "unknown feature view '" + name + "'; online feature views: "
                                + String.join(", ", Jobs.onlineViews(current))));
                if (!definition.online()) {
                    throw invalid(ONLINE, "feature view '" + name + "' is not online: set online: true in its"
                            + " definition to materialize it");
                }
                if (streamFed(current, definition)) {
                    throw new RequestException(Reason.CONFLICT, ONLINE, "feature view '" + name + "' is fed by"
                            + " the stream of source '" + definition.source() + "': its online values follow the"
                            + " stream, not batch runs");
                }
                if (!views.contains(name)) {
                    views.add(name);
                }
            }
        }
        Instant end = null;
        JsonNode endNode = body == null ? null : body.get("end");
        if (endNode != null && !endNode.isNull()) {
            if (!endNode.isTextual()) {
                throw invalid(ONLINE, "end must be a time string, got " + endNode);
            }
            try {
                end = Times.parse(endNode.asText());
            } catch (IllegalArgumentException e) {
                throw invalid(ONLINE, "end: " + e.getMessage());
            }
        }
        JsonNode fullNode = body == null ? null : body.get("full");
        if (fullNode != null && !fullNode.isNull() && !fullNode.isBoolean()) {
            throw invalid(ONLINE, "full must be true or false, got " + fullNode);
        }
        boolean full = fullNode != null && fullNode.asBoolean(false);
        Job job = jobs.submit(current, views, end, full, "request");
        return Response.accepted(job.describe()).location(URI.create("/api/v1/jobs/" + job.id())).build();
    }

    @Requires(Role.READER)
    @GET
    @Path("/jobs/{id}")
    public Map<String, Object> job(@PathParam("id") String id) {
        return jobs.get(id).orElseThrow(() -> new RequestException(Reason.NOT_FOUND, ONLINE, "there is no job '"
                + id + "' (jobs are kept in memory, the newest " + "ones only; see GET /api/v1/jobs)")).describe();
    }

    @Requires(Role.READER)
    @GET
    @Path("/jobs")
    public Map<String, Object> jobs() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobs", jobs.list().stream().map(Job::describe).toList());
        return answer;
    }

    @Requires(Role.READER)
    @GET
    @Path("/feature-views/{name}/consistency")
    public Map<String, Object> consistency(@PathParam("name") String name,
            @QueryParam("sample") @DefaultValue("100") String sample) {
        int n;
        try {
            n = Integer.parseInt(sample.trim());
        } catch (NumberFormatException e) {
            throw invalid(ONLINE, "sample must be a whole number, got '" + sample + "'");
        }
        return consistency.check(name, n);
    }
}
