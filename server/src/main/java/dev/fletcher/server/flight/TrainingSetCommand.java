package dev.fletcher.server.flight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.arrow.ClientReadiness;
import dev.fletcher.server.auth.Role;
import dev.fletcher.server.trainingset.PreparedTrainingSet;
import dev.fletcher.server.trainingset.TrainingSetSpec;
import dev.fletcher.server.trainingset.TrainingSets;
import dev.fletcher.server.trainingset.Uploads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jboss.logging.Logger;

/**
 * The {@code training_set} command. DoPut uploads entity rows and answers {@code {"ticket": "..."}};
 * GetFlightInfo takes {@code entity_sql} or {@code start}/{@code end} and answers one endpoint; DoGet streams
 * either. A ticket is itself a {@code training_set} JSON object: {@code {"upload": id}} for uploaded rows, the
 * request for rows that live in the warehouse (so it stays valid as long as the request does).
 */
@ApplicationScoped
public class TrainingSetCommand implements FlightCommandHandler {
    static final String KEY = "training_set";
    /** How long DoGet waits for a client that stopped reading before it gives up. */

    private static final Logger LOG = Logger.getLogger(TrainingSetCommand.class);

    private final TrainingSets trainingSets;
    private final Uploads uploads;
    private final ObjectMapper json;
    private final ArrowMemory memory;

    @Inject
    public TrainingSetCommand(TrainingSets trainingSets, Uploads uploads, ObjectMapper json, ArrowMemory memory) {
        this.trainingSets = trainingSets;
        this.uploads = uploads;
        this.json = json;
        this.memory = memory;
    }

    @Override
    public Role role() {
        return Role.READER;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public FlightInfo getFlightInfo(JsonNode body, FlightDescriptor descriptor, FlightProducer.CallContext context) {
        TrainingSetSpec spec = TrainingSetSpec.parse(body, TrainingSetSpec.Form.WAREHOUSE);
        Schema schema;
        try (PreparedTrainingSet prepared = trainingSets.prepare(spec)) {
            schema = prepared.schema();
        }
        Ticket ticket = new Ticket(ticketBytes(body));
        return new FlightInfo(schema, descriptor, List.of(new FlightEndpoint(ticket)), -1, -1);
    }

    @Override
    public void acceptPut(JsonNode body, FlightStream stream, FlightProducer.StreamListener<PutResult> ack,
            FlightProducer.CallContext context) {
        try {
            TrainingSetSpec spec = TrainingSetSpec.parse(body, TrainingSetSpec.Form.UPLOAD);
            trainingSets.check(spec, stream.getSchema());
            String id = uploads.store(spec, stream.getRoot(), stream::next);
            ObjectNode answer = json.createObjectNode();
            answer.put("ticket", new String(ticketBytes(json.createObjectNode().put("upload", id)),
                    StandardCharsets.UTF_8));
            byte[] metadata = json.writeValueAsBytes(answer);
            try (BufferAllocator allocator = memory.child("training-set ticket");
                 ArrowBuf buffer = allocator.buffer(metadata.length)) {
                buffer.writeBytes(metadata);
                buffer.getReferenceManager().retain();
                try (PutResult result = PutResult.metadata(buffer)) {
                    ack.onNext(result);
                }
            }
            ack.onCompleted();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void getStream(JsonNode body, Ticket ticket, FlightProducer.ServerStreamListener listener,
            FlightProducer.CallContext context) {
        PreparedTrainingSet prepared;
        if (body != null && body.has("upload")) {
            Uploads.Upload upload = uploads.take(body.get("upload").asText());
            try {
                prepared = trainingSets.prepareUpload(upload);
            } finally {
                uploads.discard(upload);
            }
        } else {
            prepared = trainingSets.prepare(TrainingSetSpec.parse(body, TrainingSetSpec.Form.WAREHOUSE));
        }
        try (prepared; ArrowReader reader = prepared.run()) {
            listener.start(reader.getVectorSchemaRoot());
            while (reader.loadNextBatch()) {
                if (reader.getVectorSchemaRoot().getRowCount() == 0) {
                    continue;
                }
                ClientReadiness.Result ready = ClientReadiness.await(listener, ClientReadiness.PATIENCE_MILLIS);
                if (ready == ClientReadiness.Result.CANCELLED) {
                    LOG.debug("A training-set DoGet was cancelled by its client");
                    return;
                }
                if (ready == ClientReadiness.Result.TIMED_OUT) {
                    listener.error(CallStatus.TIMED_OUT.withDescription("the client read nothing for "
                            + ClientReadiness.PATIENCE_MILLIS / 1000 + " s").toRuntimeException());
                    return;
                }
                listener.putNext();
            }
            listener.completed();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the training set failed: " + e.getMessage(), e);
        }
    }

    private byte[] ticketBytes(JsonNode body) {
        ObjectNode ticket = json.createObjectNode();
        ticket.set(KEY, body);
        try {
            return json.writeValueAsBytes(ticket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
