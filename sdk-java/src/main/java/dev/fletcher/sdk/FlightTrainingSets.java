package dev.fletcher.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * The Arrow Flight half of the client: training sets by DoPut + DoGet or GetFlightInfo + DoGet. The Flight connection
 * and the Arrow memory are made on first use, so a client that never asks for a training set never opens them.
 */
final class FlightTrainingSets implements AutoCloseable {
    private final URI location;
    private final ObjectMapper json;
    private final String apiKey;
    private final TrustedCertificates trusted;
    private BufferAllocator allocator;
    private FlightClient client;

    /**
     * @param apiKey  sent as a bearer token on every call; null for none
     * @param trusted the certificates trusted for TLS; null for the JVM's own
     */
    FlightTrainingSets(URI location, ObjectMapper json, String apiKey, TrustedCertificates trusted) {
        this.location = location;
        this.json = json;
        this.apiKey = apiKey;
        this.trusted = trusted;
    }

    URI location() {
        return location;
    }

    ArrowReader upload(List<String> features, VectorSchemaRoot entities, String timestampColumn) {
        Objects.requireNonNull(entities, "entities");
        return upload(features, timestampColumn, entities, () -> false, false);
    }

    ArrowReader upload(List<String> features, ArrowReader entities, String timestampColumn) {
        Objects.requireNonNull(entities, "entities");
        try {
            VectorSchemaRoot root = entities.getVectorSchemaRoot();
            return upload(features, timestampColumn, root, () -> {
                try {
                    return entities.loadNextBatch();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the entity rows: " + e.getMessage(), e);
        }
    }

    ArrowReader fromSql(List<String> features, String entitySql, String timestampColumn) {
        Map<String, Object> command = command(features, timestampColumn);
        command.put("entity_sql", Objects.requireNonNull(entitySql, "entitySql"));
        return fromWarehouse(command);
    }

    ArrowReader fromRange(List<String> features, Instant start, Instant end, String timestampColumn) {
        Map<String, Object> command = command(features, timestampColumn);
        command.put("start", Objects.requireNonNull(start, "start").toString());
        command.put("end", Objects.requireNonNull(end, "end").toString());
        return fromWarehouse(command);
    }

    private interface Batches {
        boolean next();
    }

    /** DoPut the batches (the root's current one first, unless {@code loadFirst}), then DoGet the ticket. */
    private ArrowReader upload(List<String> features, String timestampColumn, VectorSchemaRoot root, Batches more,
            boolean loadFirst) {
        FlightClient flight = client();
        byte[] command = commandBytes(command(features, timestampColumn));
        String ticket;
        try {
            SyncPutListener results = new SyncPutListener();
            FlightClient.ClientStreamListener put = flight.startPut(FlightDescriptor.command(command), root, results);
            try {
                if (!loadFirst) {
                    put.putNext();
                }
                while (more.next()) {
                    put.putNext();
                }
            } catch (RuntimeException e) {
                put.error(e);
                throw e;
            }
            put.completed();
            put.getResult();
            try (PutResult result = results.read()) {
                ticket = ticketOf(result);
            }
        } catch (FlightRuntimeException e) {
            throw error(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FlightRuntimeException cause) {
                throw error(cause);
            }
            throw new UncheckedIOException(new IOException("the upload failed: " + e.getCause(), e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted uploading entity rows"));
        }
        return stream(flight, new Ticket(ticket.getBytes(StandardCharsets.UTF_8)));
    }

    private String ticketOf(PutResult result) {
        ArrowBuf metadata = result == null ? null : result.getApplicationMetadata();
        if (metadata == null) {
            throw new UncheckedIOException(new IOException("the server answered the upload without a ticket"));
        }
        byte[] bytes = new byte[(int) metadata.readableBytes()];
        metadata.getBytes(metadata.readerIndex(), bytes);
        try {
            JsonNode answer = json.readTree(bytes);
            if (!answer.path("ticket").isTextual()) {
                throw new IOException("the server's upload answer has no ticket: " + answer);
            }
            return answer.get("ticket").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ArrowReader fromWarehouse(Map<String, Object> command) {
        FlightClient flight = client();
        FlightInfo info;
        try {
            info = flight.getInfo(FlightDescriptor.command(commandBytes(command)));
        } catch (FlightRuntimeException e) {
            throw error(e);
        }
        List<FlightEndpoint> endpoints = info.getEndpoints();
        if (endpoints.size() != 1) {
            throw new UncheckedIOException(new IOException("the server answered " + endpoints.size()
                    + " endpoints for a training set; this client reads exactly one"));
        }
        return stream(flight, endpoints.get(0).getTicket());
    }

    private ArrowReader stream(FlightClient flight, Ticket ticket) {
        try {
            return new FlightStreamReader(allocator(), flight.getStream(ticket));
        } catch (FlightRuntimeException e) {
            throw error(e);
        }
    }

    private static Map<String, Object> command(List<String> features, String timestampColumn) {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("features", List.copyOf(Objects.requireNonNull(features, "features")));
        if (timestampColumn != null) {
            command.put("timestamp_column", timestampColumn);
        }
        return command;
    }

    private byte[] commandBytes(Map<String, Object> trainingSet) {
        try {
            return json.writeValueAsBytes(Map.of("training_set", trainingSet));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Flight error as a {@link FletcherException} carrying the server's message and an HTTP-like status. */
    static FletcherException error(FlightRuntimeException e) {
        FlightStatusCode code = e.status().code();
        int status = switch (code) {
            case INVALID_ARGUMENT -> 400;
            case UNAUTHENTICATED -> 401;
            case UNAUTHORIZED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case TIMED_OUT -> 504;
            default -> 500;
        };
        // The server names the status the same failure has over HTTP, where Flight's codes cannot tell (409).
        // Refusals made before Fletcher's own code runs (authentication) carry metadata without this key.
        String http = e.status().metadata() == null || !e.status().metadata().containsKey("fletcher-status") ? null
                : e.status().metadata().get("fletcher-status");
        if (http != null && http.matches("[1-5][0-9][0-9]")) {
            status = Integer.parseInt(http);
        }
        FletcherException error = new FletcherException(status, "Flight " + code, e.status().description(), List.of());
        error.initCause(e);
        return error;
    }

    synchronized BufferAllocator allocator() {
        if (allocator == null) {
            allocator = new RootAllocator();
        }
        return allocator;
    }

    synchronized FlightClient client() {
        if (client == null) {
            FlightClient.Builder builder = FlightClient.builder(allocator(), new Location(location));
            if (apiKey != null) {
                builder.intercept(new BearerKey(apiKey));
            }
            if (trusted != null && "grpc+tls".equalsIgnoreCase(location.getScheme())) {
                builder.trustedCertificates(new ByteArrayInputStream(trusted.pem()));
            }
            client = builder.build();
        }
        return client;
    }

    /** @throws IllegalStateException when a reader still holds memory */
    @Override
    public synchronized void close() {
        try {
            if (client != null) {
                client.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client = null;
            if (allocator != null) {
                BufferAllocator owned = allocator;
                allocator = null;
                owned.close();
            }
        }
    }
}
