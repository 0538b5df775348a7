package dev.fletcher.server.trainingset;

import static dev.fletcher.server.problem.Subject.TRAINING_SET;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /api/v1/training-sets}: entity rows as JSON columns, {@code entity_sql} or a time range in; the
 * training set out as an Arrow IPC stream (the default) or CSV, written batch by batch as the warehouse answers.
 */
@Path("/api/v1/training-sets")
public class TrainingSetResource {
    public static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";
    public static final String CSV = "text/csv";

    private final TrainingSets trainingSets;
    private final long maxRows;

    @Inject
    public TrainingSetResource(TrainingSets trainingSets,
            @ConfigProperty(name = RowLimit.KEY, defaultValue = RowLimit.DEFAULT) long maxRows) {
        this.trainingSets = trainingSets;
        this.maxRows = maxRows;
    }

    @Requires(Role.READER)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonNode body, @HeaderParam("Accept") String accept) {
        String type = answerType(accept);
        TrainingSetSpec spec = TrainingSetSpec.parse(body, TrainingSetSpec.Form.REST);
        PreparedTrainingSet prepared = spec.entities() != null ? trainingSets.prepareJson(spec)
                : trainingSets.prepare(spec);
        ArrowReader rows;
        try {
            // Run before answering, so that a failing query is still a problem answer, not a broken stream.
            rows = prepared.runForRest(maxRows);
        } catch (RuntimeException e) {
            prepared.close();
            throw e;
        }
        StreamingOutput answer = out -> {
            try (PreparedTrainingSet owned = prepared; ArrowReader reader = rows) {
                if (type.equals(CSV)) {
                    writeCsv(owned, reader, out);
                } else {
                    writeArrow(reader, out);
                }
            }
        };
        return Response.ok(answer, type).build();
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

    private static void writeCsv(PreparedTrainingSet prepared, ArrowReader reader, OutputStream out)
            throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        CsvRows.header(prepared.columns(), writer);
        while (reader.loadNextBatch()) {
            CsvRows.batch(reader.getVectorSchemaRoot(), writer);
            writer.flush();
        }
        writer.flush();
    }

    /** Arrow unless the client prefers CSV; anything else neither is, refused with 406. */
    static String answerType(String accept) {
        return Accept.best(accept, ARROW_STREAM, Map.of(ARROW_STREAM, ARROW_STREAM, "*/*", ARROW_STREAM,
                "application/*", ARROW_STREAM, CSV, CSV, "text/*", CSV)).orElseThrow(() -> new RequestException(
                        Reason.NOT_ACCEPTABLE, TRAINING_SET, "a training set is answered as " + ARROW_STREAM
                                + " (Arrow IPC stream) or " + CSV + "; the Accept header '" + accept
                                + "' allows neither"));
    }
}
