package dev.fletcher.server.metrics;

import static dev.fletcher.server.problem.Subject.METRICS_QUERY;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.server.auth.Requires;
import dev.fletcher.server.auth.Role;
import dev.fletcher.server.http.Accept;
import dev.fletcher.server.http.RowLimit;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /api/v1/metrics/query} (CONTRACT §7): {@code {"columns", "rows", "sql"}} as JSON, or the rows as an
 * Arrow IPC stream with {@code Accept: application/vnd.apache.arrow.stream}; written batch by batch as the warehouse
 * answers.
 */
@Path("/api/v1/metrics")
public class MetricQueryResource {
    public static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";

    private final MetricQueries queries;
    private final ObjectMapper mapper;
    private final long maxRows;

    @Inject
    public MetricQueryResource(MetricQueries queries, ObjectMapper mapper,
            @ConfigProperty(name = RowLimit.KEY, defaultValue = RowLimit.DEFAULT) long maxRows) {
        this.queries = queries;
        this.mapper = mapper;
        this.maxRows = maxRows;
    }

    @Requires(Role.READER)
    @POST
    @Path("/query")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Query metrics", description = "{\"metrics\": [...], \"group_by\": [\"metric_time__day\","
            + " \"country\"], \"where\": [{\"dimension\": \"country\", \"op\": \"in\", \"values\": [\"DE\"]}], \"start\":"
            + " \"2026-03-01\", \"end\": \"2026-04-01\", \"fill\": false, \"order_by\": [...], \"limit\": 1000}")
    public Response query(JsonNode body, @HeaderParam("Accept") String accept) {
        String type = answerType(accept);
        PreparedMetricQuery prepared = queries.prepare(MetricQuerySpec.parse(body));
        ArrowReader rows;
        try {
            // Run before answering, so that a failing query is still a problem answer, not a broken stream.
            rows = prepared.runForRest(maxRows);
        } catch (RuntimeException e) {
            prepared.close();
            throw e;
        }
        StreamingOutput answer = out -> {
            try (PreparedMetricQuery owned = prepared; ArrowReader reader = rows) {
                if (type.equals(ARROW_STREAM)) {
                    writeArrow(reader, out);
                } else {
                    writeJson(owned, reader, out);
                }
            }
        };
        return Response.ok(answer, type).build();
    }

    private void writeJson(PreparedMetricQuery prepared, ArrowReader reader, OutputStream out) throws IOException {
        try (JsonGenerator json = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeArrayFieldStart("columns");
            for (String column : prepared.columns()) {
                json.writeString(column);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("rows");
            while (reader.loadNextBatch()) {
                JsonRows.batch(reader.getVectorSchemaRoot(), json);
                json.flush();
            }
            json.writeEndArray();
            json.writeStringField("sql", prepared.sqlText());
            json.writeEndObject();
        }
    }

    private static void writeArrow(ArrowReader reader, OutputStream out) throws IOException {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
            writer.start();
            while (reader.loadNextBatch()) {
                writer.writeBatch();
            }
            writer.end();
        }
    }

    /** JSON unless the client prefers Arrow; anything else neither is, refused with 406. */
    static String answerType(String accept) {
        return Accept.best(accept, MediaType.APPLICATION_JSON, Map.of(ARROW_STREAM, ARROW_STREAM,
                MediaType.APPLICATION_JSON, MediaType.APPLICATION_JSON, "*/*", MediaType.APPLICATION_JSON,
                "application/*", MediaType.APPLICATION_JSON)).orElseThrow(() -> new RequestException(
                        Reason.NOT_ACCEPTABLE, METRICS_QUERY, "a metrics answer is " + MediaType.APPLICATION_JSON
                                + " or " + ARROW_STREAM + "; the Accept header '" + accept + "' allows neither"));
    }
}
