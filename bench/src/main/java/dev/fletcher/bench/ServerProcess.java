package dev.fletcher.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged server as a child process, with its heap sampled from {@code /q/metrics}. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern HEAP_USED = Pattern.compile(
            "^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\}\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern LIVE = Pattern.compile("^jvm_gc_live_data_size_bytes(?:\\{[^}]*\\})?\\s+(\\S+)",
            Pattern.MULTILINE);

    final int httpPort;
    final int flightPort;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private volatile boolean sampling;
    private Thread sampler;

    private ServerProcess(Process process, int httpPort, int flightPort) {
        this.process = process;
        this.httpPort = httpPort;
        this.flightPort = flightPort;
    }

    static ServerProcess start(Path jar, Path duckdb, Path dataDir, String maxHeap, int httpPort, int flightPort)
            throws IOException, InterruptedException {
        return start(jar, duckdb, dataDir, maxHeap, httpPort, flightPort, List.of());
    }

    /** With {@code properties} ({@code -Dname=value} options) added to the server's command line. */
    static ServerProcess start(Path jar, Path duckdb, Path dataDir, String maxHeap, int httpPort, int flightPort,
            List<String> properties) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no packaged server at " + jar + ": build it with ./mvnw -pl server package");
        }
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx" + maxHeap,
                "-Dfletcher.data-dir=" + dataDir.toAbsolutePath(),
                "-Dfletcher.flight.port=" + flightPort,
                "-Dquarkus.http.port=" + httpPort));
        if (duckdb != null) {
            command.add("-Dfletcher.warehouses.default.url=" + duckdb.toAbsolutePath());
        }
        command.addAll(properties);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        Path log = dataDir.resolve("server.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(process, httpPort, flightPort);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited at start; see " + log);
            }
            try {
                if (server.get("/q/health/ready").statusCode() == 200) {
                    System.out.println("server: up, pid " + process.pid() + ", log " + log);
                    return server;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        server.close();
        throw new IllegalStateException("the server was not ready within 90 s; see " + log);
    }

    URI httpBase() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(httpBase().resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Heap in use now (all heap pools), and the live data after the last full collection, in bytes. */
    long[] heap() throws IOException, InterruptedException {
        String metrics = get("/q/metrics").body();
        long used = 0;
        Matcher m = HEAP_USED.matcher(metrics);
        while (m.find()) {
            used += (long) Double.parseDouble(m.group(1));
        }
        Matcher l = LIVE.matcher(metrics);
        long live = l.find() ? (long) Double.parseDouble(l.group(1)) : -1;
        return new long[] {used, live};
    }

    void startSampling() {
        peakUsed.set(0);
        peakLive.set(0);
        sampling = true;
        sampler = new Thread(() -> {
            while (sampling) {
                try {
                    long[] heap = heap();
                    peakUsed.accumulateAndGet(heap[0], Math::max);
                    peakLive.accumulateAndGet(heap[1], Math::max);
                    Thread.sleep(200);
                } catch (IOException e) {
                    // a missed sample while the server is busy
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Stops sampling; answers the peak heap in use and the peak live data size seen, in bytes. */
    long[] stopSampling() throws InterruptedException {
        sampling = false;
        sampler.interrupt();
        sampler.join();
        return new long[] {peakUsed.get(), peakLive.get()};
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
