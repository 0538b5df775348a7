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
import java.io.IOException;
import java.io.UncheckedIOException;
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
        allocator = memory.child("flight");
        Location location = Location.forGrpcInsecure(config.flight().host(), config.flight().port());
        server = FlightServer.builder(allocator, location,
                        new FletcherFlightProducer(json, commands, actions, sql, authentication))
                .headerAuthenticator(authentication)
                .transportHint("grpc.builderConsumer", authentication.grpcHook())
                .build();
        try {
            server.start();
        } catch (IOException e) {
            allocator.close();
            throw new UncheckedIOException("Arrow Flight could not listen on " + config.flight().host() + ":"
                    + config.flight().port() + " (set fletcher.flight.port): " + e.getMessage(), e);
        }
        LOG.infof("Arrow Flight listening on %s:%d", config.flight().host(), server.getPort());
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
