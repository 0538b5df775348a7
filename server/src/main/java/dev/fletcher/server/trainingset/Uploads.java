package dev.fletcher.server.trainingset;

import static dev.fletcher.server.problem.Subject.TRAINING_SET;

import dev.fletcher.server.config.FletcherConfig;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.jboss.logging.Logger;

/**
 * Entity rows uploaded with Flight DoPut, waiting for their DoGet. Each upload is spooled batch by batch to an
 * Arrow IPC file under {@code <data-dir>/training-sets/uploads}, so memory never holds a whole upload and no
 * warehouse connection is held between the two calls; a file not fetched within the expiry is deleted.
 */
@ApplicationScoped
public class Uploads {
    private static final Logger LOG = Logger.getLogger(Uploads.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One spooled upload. */
    public record Upload(String id, TrainingSetSpec spec, Path file, Instant expiresAt) {
    }

    private final TrainingSetConfig config;
    private final Path directory;
    private final Map<String, Upload> pending = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;

    @Inject
    public Uploads(FletcherConfig fletcher, TrainingSetConfig config) {
        this.config = config;
        this.directory = fletcher.dataDir().resolve("training-sets").resolve("uploads");
    }

    void start(@Observes StartupEvent event) {
        try {
            Files.createDirectories(directory);
            // Uploads of an earlier run lost their tickets with it.
            try (Stream<Path> stale = Files.list(directory)) {
                stale.forEach(Uploads::delete);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the upload folder " + directory + ": " + e.getMessage(), e);
        }
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fletcher-upload-expiry");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, Math.min(60, config.uploadExpiry().toSeconds() / 2));
        sweeper.scheduleWithFixedDelay(this::expire, every, every, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        pending.values().forEach(upload -> delete(upload.file()));
        pending.clear();
    }

    /**
     * Writes the batches {@code next} loads into {@code root} to a new spool file.
     *
     * @return the upload's id, which its ticket carries
     * @throws RequestException busy when {@code fletcher.training-sets.max-pending-uploads} uploads wait already
     */
    public String store(TrainingSetSpec spec, VectorSchemaRoot root, BooleanSupplier next) {
        expire();
        if (pending.size() >= config.maxPendingUploads()) {
            throw new RequestException(Reason.BUSY, TRAINING_SET, pending.size() + " uploads wait for their"
                    + " DoGet already (fletcher.training-sets.max-pending-uploads); fetch or let them expire first");
        }
        String id = HexFormat.of().formatHex(bytes());
        Path file = directory.resolve(id + ".arrows");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             ArrowStreamWriter writer = new ArrowStreamWriter(root, null, channel)) {
            writer.start();
            while (next.getAsBoolean()) {
                writer.writeBatch();
            }
            writer.end();
        } catch (IOException | RuntimeException e) {
            delete(file);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UncheckedIOException("cannot spool the uploaded rows to " + file + ": " + e.getMessage(),
                    (IOException) e);
        }
        pending.put(id, new Upload(id, spec, file, Instant.now().plus(config.uploadExpiry())));
        return id;
    }

    private static byte[] bytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Takes an upload for its one DoGet; the caller deletes its file with {@link #discard}.
     *
     * @throws RequestException not found for an unknown, used or expired id
     */
    public Upload take(String id) {
        Upload upload = id == null ? null : pending.remove(id);
        if (upload == null || upload.expiresAt().isBefore(Instant.now())) {
            if (upload != null) {
                delete(upload.file());
            }
            throw new RequestException(Reason.NOT_FOUND, TRAINING_SET, "no uploaded entity rows wait under"
                    + " ticket '" + id + "': it is unknown, was fetched already, or expired (after "
                    + config.uploadExpiry().toSeconds() + " s); upload the entity rows again with DoPut");
        }
        return upload;
    }

    /** How many uploads wait for their DoGet. */
    public int pendingCount() {
        return pending.size();
    }

    public void discard(Upload upload) {
        delete(upload.file());
    }

    private void expire() {
        Instant now = Instant.now();
        pending.values().removeIf(upload -> {
            if (upload.expiresAt().isBefore(now)) {
                delete(upload.file());
                return true;
            }
            return false;
        });
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Cannot delete spooled upload %s: %s", file, e.getMessage());
        }
    }
}
