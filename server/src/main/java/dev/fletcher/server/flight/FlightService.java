package dev.fletcher.server.flight;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.server.arrow.ArrowMemory;
import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.server.flightsql.MetricsSqlProducer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.jboss.logging.Logger;

/** Runs the Arrow Flight server (Fletcher's commands and Flight SQL) next to HTTP, on {@code fletcher.flight.port}. */
@ApplicationScoped
public class FlightService {
    private static final Logger LOG = Logger.getLogger(FlightService.class);

    private final FletcherConfig config;
    private final ArrowMemory memory;
    private final ObjectMapper json;
    private final Instance<FlightCommandHandler> commands;
    private final Instance<FlightActionHandler> actions;
    private final MetricsSqlProducer sql;
    private final FlightAuthentication authentication;

    private BufferAllocator allocator;
    private FlightServer server;

    @Inject
    public FlightService(FletcherConfig config, ArrowMemory memory, ObjectMapper json,
                         Instance<FlightCommandHandler> commands, Instance<FlightActionHandler> actions,
                         MetricsSqlProducer sql, FlightAuthentication authentication) {
        this.config = config;
        this.memory = memory;
        this.json = json;
        this.commands = commands;
        this.actions = actions;
        this.sql = sql;
        this.authentication = authentication;
    }

    void start(@Observes StartupEvent event) {
        Optional<Path> certificate = config.flight().tls().certificate();
        Optional<Path> key = config.flight().tls().key();
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalStateException("Flight TLS needs both fletcher.flight.tls.certificate and"
                    + " fletcher.flight.tls.key; only " + (certificate.isPresent() ? "the certificate" : "the key")
                    + " is set");
        }
        boolean tls = certificate.isPresent();
        byte[] certificatePem = tls ? read(certificate.get()) : null;
        byte[] keyPem = tls ? read(key.get()) : null;
        allocator = memory.child("flight");
        Location location = tls ? Location.forGrpcTls(config.flight().host(), config.flight().port())
                : Location.forGrpcInsecure(config.flight().host(), config.flight().port());
        FlightServer.Builder builder = FlightServer.builder(allocator, location,
                        new FletcherFlightProducer(json, commands, actions, sql, authentication))
                .headerAuthenticator(authentication)
                .transportHint("grpc.builderConsumer", authentication.grpcHook());
        try {
            if (tls) {
                builder.useTls(new ByteArrayInputStream(certificatePem), new ByteArrayInputStream(keyPem));
            }
            server = builder.build();
        } catch (IOException | RuntimeException e) {
            allocator.close();
            throw new IllegalStateException("Arrow Flight could not be set up" + (tls ? " with TLS (check that"
                    + " fletcher.flight.tls.certificate is a PEM certificate chain and fletcher.flight.tls.key its"
                    + " PEM PKCS#8 private key)" : "") + ": " + e.getMessage(), e);
        }
        try {
            server.start();
        } catch (IOException e) {
            allocator.close();
            throw new UncheckedIOException("Arrow Flight could not listen on " + config.flight().host() + ":"
                    + config.flight().port() + " (set fletcher.flight.port): " + e.getMessage(), e);
        }
        LOG.infof("Arrow Flight listening on %s:%d%s", config.flight().host(), server.getPort(),
                tls ? " with TLS" : "");
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("Flight TLS: cannot read " + file.toAbsolutePath()
                    + " (fletcher.flight.tls.certificate / fletcher.flight.tls.key): " + e, e);
        }
    }

    /** The port Flight listens on (the bound one when configured as 0). */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("the Flight server is not running");
        }
        return server.getPort();
    }

    void stop(@Observes ShutdownEvent event) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Arrow Flight calls still ran after 5 s; closing anyway");
            }
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("Stopping Arrow Flight failed: %s", e.getMessage());
        } finally {
            server = null;
            try {
                allocator.close();
            } catch (IllegalStateException leak) {
                LOG.errorf("Flight calls left Arrow memory allocated: %s", leak.getMessage());
            }
        }
    }
}
