package dev.fletcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fletcher.sdk.FletcherClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Online reads and stream freshness of the packaged server, against {@code redis-benchmark} on the same machine in
 * the same run. Prints the figures recorded in docs/benchmarks.md.
 *
 * <ol>
 *   <li>A DuckDB file with {@code online_wide}: K entities with 50 float features (one row each).</li>
 *   <li>Per online store (redis, embedded): the server as a child process, the catalog applied and
 *       {@code bench_wide} materialized; then, open loop at a fixed rate (latency counted from each request's
 *       scheduled time, so a stall cannot hide), 1 or 50 features for 1 or 10 entities: client latency and the
 *       server's own time ({@code Server-Timing}); then closed-loop throughput at 16 connections.</li>
 *   <li>Over Flight, from 1 and 16 threads, 3 + 3 features of two views: the SDK's online reads, and a plain Arrow
 *       client's DoGet and DoExchange.</li>
 *   <li>With {@code wrk} on the PATH (and {@code --wrk true}, the default): requests/s, p50 and p99 at 16
 *       connections for 6 features of two views and 1 feature, 6 features on one connection, the health check and
 *       one catalog object.</li>
 *   <li>{@code redis-benchmark -c 16 -t get} on 127.0.0.1:6379, for the ratio.</li>
 *   <li>Stream freshness: a KRaft broker in this JVM, events stamped with the current time at a fixed rate, and
 *       the server's {@code fletcher_stream_freshness_seconds} quantiles.</li>
 * </ol>
 */
public final class OnlineBench {
    private static final int FEATURES = 50;

    private OnlineBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int entities = Integer.parseInt(options.getOrDefault("entities", "10000"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "1000"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        List<String> stores = Arrays.asList(options.getOrDefault("stores", "redis,embedded").split(","));
        Path jar = Path.of(options.getOrDefault("server", "server/target/quarkus-app/quarkus-run.jar"));
        Path work = Path.of(options.getOrDefault("dir", "bench-data/online"));
        int http = Integer.getInteger("bench.http.port", 18180);
        int flight = Integer.getInteger("bench.flight.port", 18915);

        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + Files.readString(Path.of("/proc/loadavg")).trim() + ", " + Instant.now() + ", java "
                + System.getProperty("java.version"));
        Files.createDirectories(work);
        Path db = work.resolve("online.duckdb");
        generate(db, entities);

        KafkaClusterTestKit kafka = startKafka();
        try {
            for (String store : stores) {
                Path dataDir = Files.createTempDirectory(work.toAbsolutePath(), store + "-");
                String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
                List<String> properties = new ArrayList<>(List.of("-Dfletcher.online.plugin=" + store,
                        "-Dfletcher.online.redis.key-prefix=" + prefix,
                        "-Dfletcher.streams.enabled=true",
                        "-Dfletcher.streams.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "-Dfletcher.streams.poll=10ms"));
                try (ServerProcess server = ServerProcess.start(jar, db, dataDir, "512m", http, flight, properties);
                        FletcherClient client = FletcherClient.connect(server.httpBase())) {
                    client.apply(catalog());
                    JsonNode job = client.materialize(List.of("bench_wide", "bench_narrow"), null);
                    String id = job.path("id").asText();
                    while (!job.path("state").asText().matches("succeeded|failed")) {
                        Thread.sleep(100);
                        job = client.job(id);
                    }
                    System.out.println("store " + store + ": materialized bench_wide, " + job.path("runs").get(0)
                            .path("rows").asLong() + " rows in " + job.path("runs").get(0).path("seconds") + " s");
                    HttpClient httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(2)).build();
                    URI uri = server.httpBase().resolve("/api/v1/online/features");
                    openLoop(httpClient, uri, 1, 1, rate, 3, entities, false);
                    for (int[] shape : new int[][] {{1, 1}, {FEATURES, 1}, {1, 10}, {FEATURES, 10}}) {
                        openLoop(httpClient, uri, shape[0], shape[1], rate, seconds, entities, true)
                                .print(store + " open loop " + rate + "/s, " + shape[0] + " features x " + shape[1]
                                        + " entities");
                    }
                    for (int features : new int[] {1, FEATURES}) {
                        double rps = closedLoop(httpClient, uri, features, 1, 16, seconds, entities);
                        System.out.printf("%s throughput, 16 connections, %d features x 1 entity: %.0f requests/s%n",
                                store, features, rps);
                    }
                    for (String way : List.of("sdk", "doget", "doexchange")) {
                        for (int threads : new int[] {1, 16}) {
                            double flightRps = flightClosedLoop(server, way, threads, seconds, entities);
                            System.out.printf("%s throughput over Flight (%s), %d threads, 3 + 3 features of two"
                                    + " views x 1 entity: %.0f requests/s%n", store, way, threads, flightRps);
                        }
                    }
                    if (options.getOrDefault("wrk", "true").equals("true")) {
                        wrk(server.httpBase(), store, seconds, entities, work);
                    }
                    if (store.equals(stores.get(0))) {
                        freshness(kafka, server, seconds);
                    }
                } finally {
                    if (store.equals("redis")) {
                        removeKeys(prefix);
                    }
                }
            }
        } finally {
            kafka.close();
        }
        redisBenchmark();
    }

    static void generate(Path db, int entities) throws Exception {
        Files.deleteIfExists(db);
        Files.deleteIfExists(Path.of(db + ".wal"));
        StringBuilder columns = new StringBuilder();
        for (int f = 0; f < FEATURES; f++) {
            columns.append(", round(CAST(hash(r, ").append(f).append(") % 100000 AS DOUBLE) / 100, 2) AS f").append(f);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + db);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE online_wide AS SELECT 'c' || r AS customer_id,"
                    + " TIMESTAMP '2026-03-01' + to_seconds(r % 86400) AS updated_at" + columns
                    + " FROM range(" + entities + ") AS t(r)");
            statement.execute("CREATE TABLE stream_txns (customer_id VARCHAR, amount DOUBLE, txn_at TIMESTAMP)");
            statement.execute("CHECKPOINT");
        }
    }

    static String catalog() {
        StringBuilder yaml = new StringBuilder("""
                kind: entity
                name: bench_customer
                keys: [customer_id]
                ---
                kind: source
                name: online_wide
                table: online_wide
                timestamp: updated_at
                entity_columns: {bench_customer: customer_id}
                ---
                kind: source
                name: stream_txns
                table: stream_txns
                timestamp: txn_at
                entity_columns: {bench_customer: customer_id}
                stream: {plugin: kafka, topic: bench_txns, format: json}
                ---
                kind: feature_view
                name: bench_stream
                entity: bench_customer
                source: stream_txns
                online: true
                features:
                  - {name: amount_sum_1h, column: amount, aggregation: sum, window: 1h}
                  - {name: txn_count_1h, aggregation: count, window: 1h}
                ---
                kind: feature_view
                name: bench_narrow
                entity: bench_customer
                source: online_wide
                online: true
                features:
                  - {name: g0, column: f10}
                  - {name: g1, column: f11}
                  - {name: g2, column: f12}
                ---
                kind: feature_view
                name: bench_wide
                entity: bench_customer
                source: online_wide
                online: true
                features:
                """);
        for (int f = 0; f < FEATURES; f++) {
            yaml.append("  - {name: f").append(f).append(", column: f").append(f).append("}\n");
        }
        return yaml.toString();
    }

    record Latencies(long[] client, long[] server, long errors) {
        void print(String what) {
            Arrays.sort(client);
            Arrays.sort(server);
            System.out.printf("%s: %d requests, %d errors; server p50 %.3f ms p99 %.3f ms; client p50 %.3f ms"
                            + " p99 %.3f ms%n", what, client.length, errors, q(server, 0.5), q(server, 0.99),
                    q(client, 0.5), q(client, 0.99));
        }

        private static double q(long[] nanos, double quantile) {
            return nanos.length == 0 ? Double.NaN
                    : nanos[Math.min(nanos.length - 1, (int) Math.ceil(quantile * nanos.length) - 1)] / 1e6;
        }
    }

    static HttpRequest request(URI uri, int features, int entities, int keys) {
        StringBuilder body = new StringBuilder("{\"features\": [");
        for (int f = 0; f < features; f++) {
            body.append(f == 0 ? "" : ", ").append("\"bench_wide:f").append(f).append('"');
        }
        body.append("], \"entities\": {\"customer_id\": [");
        for (int e = 0; e < entities; e++) {
            body.append(e == 0 ? "" : ", ").append("\"c").append(ThreadLocalRandom.current().nextInt(keys)).append('"');
        }
        body.append("]}}");
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    private static final Pattern SERVER_TIMING = Pattern.compile("dur=([0-9.]+)");

    /** Requests at a fixed rate for the given time; latency counts from each request's scheduled start. */
    static Latencies openLoop(HttpClient http, URI uri, int features, int entities, int rate, int seconds, int keys,
            boolean measure) throws Exception {
        int total = rate * seconds;
        long[] client = new long[total];
        long[] server = new long[total];
        AtomicLong errors = new AtomicLong();
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime() + 50_000_000L;
        long interval = 1_000_000_000L / rate;
        ExecutorService workers = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            done.add(workers.submit(() -> {
                for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long scheduled = start + i * interval;
                    long wait = scheduled - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    try {
                        HttpResponse<String> response = http.send(request(uri, features, entities, keys),
                                HttpResponse.BodyHandlers.ofString());
                        client[(int) i] = System.nanoTime() - scheduled;
                        Matcher m = SERVER_TIMING.matcher(response.headers().firstValue("Server-Timing").orElse(""));
                        server[(int) i] = m.find() ? (long) (Double.parseDouble(m.group(1)) * 1e6) : 0;
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        workers.shutdown();
        return new Latencies(client, server, errors.get());
    }

    /** As many requests as 16 connections can carry, each sent when the previous answer arrived. */
    static double closedLoop(HttpClient unused, URI uri, int features, int entities, int connections, int seconds,
            int keys) throws Exception {
        AtomicLong count = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService workers = Executors.newFixedThreadPool(connections);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            // one client per connection, so requests are not multiplexed onto fewer sockets
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            done.add(workers.submit(() -> {
                while (System.nanoTime() < end) {
                    HttpResponse<String> response = http.send(request(uri, features, entities, keys),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        count.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        workers.shutdown();
        return count.get() / (double) seconds;
    }

    /** One online read of one entity's six features over Flight. */
    private interface FlightRead {
        void read(String key) throws Exception;
    }

    /**
     * Online reads over Flight, each thread reading one random entity at a time: {@code sdk} through the SDK
     * (DoGet for a few keys), {@code doget} and {@code doexchange} as a plain Arrow Java client writes them from
     * docs/online.md (the exchange calling {@code putNext} at once, so Arrow's spin on the new stream is in it).
     */
    static double flightClosedLoop(ServerProcess server, String way, int threads, int seconds, int keys)
            throws Exception {
        List<String> features = List.of("bench_wide:f0", "bench_wide:f1", "bench_wide:f2", "bench_narrow:g0",
                "bench_narrow:g1", "bench_narrow:g2");
        URI flight = URI.create("grpc+tcp://127.0.0.1:" + server.flightPort);
        ObjectMapper json = new ObjectMapper();
        byte[] command = json.writeValueAsBytes(Map.of("online_features", Map.of("features", features)));
        Schema schema = new Schema(List.of(Field.nullable("customer_id", ArrowType.Utf8.INSTANCE)));
        try (FletcherClient sdk = FletcherClient.connect(server.httpBase(), flight);
                BufferAllocator allocator = new RootAllocator();
                FlightClient client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1",
                        server.flightPort)).build()) {
            FlightRead read = switch (way) {
                case "sdk" -> key -> sdk.onlineFeatures(features, Map.of("customer_id", List.of(key)));
                case "doget" -> key -> {
                    byte[] ticket = json.writeValueAsBytes(Map.of("online_features", Map.of("features", features,
                            "entities", Map.of("customer_id", List.of(key)))));
                    try (FlightStream answer = client.getStream(new Ticket(ticket))) {
                        while (answer.next()) {
                            answer.getRoot().getRowCount();
                        }
                    }
                };
                case "doexchange" -> key -> {
                    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
                            FlightClient.ExchangeReaderWriter exchange = client.doExchange(
                                    FlightDescriptor.command(command))) {
                        VarCharVector ids = (VarCharVector) root.getVector(0);
                        ids.allocateNew();
                        ids.setSafe(0, key.getBytes(StandardCharsets.UTF_8));
                        root.setRowCount(1);
                        exchange.getWriter().start(root);
                        exchange.getWriter().putNext();
                        exchange.getWriter().completed();
                        FlightStream answer = exchange.getReader();
                        while (answer.next()) {
                            answer.getRoot().getRowCount();
                        }
                    }
                };
                default -> throw new IllegalArgumentException("unknown Flight way " + way);
            };
            long warm = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < warm) {
                read.read("c" + ThreadLocalRandom.current().nextInt(keys));
            }
            AtomicLong count = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            ExecutorService workers = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(workers.submit(() -> {
                    while (System.nanoTime() < end) {
                        read.read("c" + ThreadLocalRandom.current().nextInt(keys));
                        count.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            workers.shutdown();
            return count.get() / (double) seconds;
        }
    }

    /**
     * {@code wrk}, a C load generator as {@code redis-benchmark} is one, on the shapes of the online table in
     * docs/benchmarks.md: after a warm-up, requests/s and latency quantiles at 16 connections (and at one).
     */
    static void wrk(URI base, String store, int seconds, int keys, Path work) throws Exception {
        Path script = work.resolve("online.lua");
        Files.writeString(script, """
                local features = os.getenv("BENCH_FEATURES")
                local keys = tonumber(os.getenv("BENCH_KEYS"))
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                request = function()
                  local body = '{"features": [' .. features .. '], "entities": {"customer_id": ["c'
                      .. math.random(0, keys - 1) .. '"]}}'
                  return wrk.format(nil, "/api/v1/online/features", nil, body)
                end
                """);
        String six = "\"bench_wide:f0\", \"bench_wide:f1\", \"bench_wide:f2\", \"bench_narrow:g0\","
                + " \"bench_narrow:g1\", \"bench_narrow:g2\"";
        String one = "\"bench_wide:f0\"";
        record Shape(String name, String connections, String features, String path) {
        }
        List<Shape> shapes = List.of(
                new Shape("online, 6 features (two views) x 1 entity", "16", six, null),
                new Shape("online, 1 feature x 1 entity", "16", one, null),
                new Shape("online, 6 features, one connection", "1", six, null),
                new Shape("GET /q/health/live", "16", null, "/q/health/live"),
                new Shape("GET /api/v1/catalog/feature_view/bench_wide", "16", null,
                        "/api/v1/catalog/feature_view/bench_wide"));
        for (Shape shape : shapes) {
            for (boolean warmUp : new boolean[] {true, false}) {
                List<String> command = new ArrayList<>(List.of("wrk", "-t" + Math.min(2, Integer.parseInt(
                        shape.connections())), "-c" + shape.connections(), "-d" + (warmUp ? 5 : seconds) + "s",
                        "--latency"));
                if (shape.path() == null) {
                    command.addAll(List.of("-s", script.toString(), base.toString()));
                } else {
                    command.add(base.resolve(shape.path()).toString());
                }
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
                if (shape.features() != null) {
                    builder.environment().put("BENCH_FEATURES", shape.features());
                    builder.environment().put("BENCH_KEYS", Integer.toString(keys));
                }
                Process process = builder.start();
                String out = new String(process.getInputStream().readAllBytes());
                process.waitFor();
                if (!warmUp) {
                    System.out.printf("%s wrk -c%s, %s: %s requests/s, p50 %s, p99 %s, non-2xx %s%n", store,
                            shape.connections(), shape.name(), field(out, "Requests/sec:\\s+(\\S+)"),
                            field(out, "\\s50%\\s+(\\S+)"), field(out, "\\s99%\\s+(\\S+)"),
                            field(out, "Non-2xx or 3xx responses:\\s+(\\S+)"));
                }
            }
        }
    }

    private static String field(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : "0";
    }

    static KafkaClusterTestKit startKafka() throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1").build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("bench_txns", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return cluster;
    }

    /** Events stamped with the current time at 200/s; the server's freshness quantiles after them. */
    static void freshness(KafkaClusterTestKit kafka, ServerProcess server, int seconds) throws Exception {
        int rate = 200;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "1"), new StringSerializer(), new StringSerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < rate * seconds; i++) {
                long wait = start + i * (1_000_000_000L / rate) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                producer.send(new ProducerRecord<>("bench_txns", "{\"customer_id\": \"c" + (i % 1000)
                        + "\", \"amount\": " + (i % 100) + ", \"txn_at\": \"" + Instant.now() + "\"}"));
            }
            producer.flush();
        }
        Thread.sleep(2_000);
        HttpClient http = HttpClient.newHttpClient();
        String metrics = http.send(HttpRequest.newBuilder(server.httpBase().resolve("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        System.out.printf("stream freshness over %d events at %d/s: p50 %s s, p99 %s s, max %s s, count %s%n",
                rate * seconds, rate, metric(metrics, "fletcher_stream_freshness_seconds", "quantile=\"0.5\""),
                metric(metrics, "fletcher_stream_freshness_seconds", "quantile=\"0.99\""),
                metric(metrics, "fletcher_stream_freshness_seconds_max", ""),
                metric(metrics, "fletcher_stream_freshness_seconds_count", ""));
    }

    static String metric(String text, String name, String label) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE)
                .matcher(text);
        while (m.find()) {
            if (m.group(1).contains("bench_stream") && m.group(1).contains(label)) {
                return m.group(2);
            }
        }
        return "n/a";
    }

    /** The run's keys leave the shared Redis with it. */
    static void removeKeys(String prefix) throws Exception {
        new ProcessBuilder("sh", "-c", "redis-cli --scan --pattern '" + prefix + "*' | xargs -r redis-cli del")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    static void redisBenchmark() throws Exception {
        Process process = new ProcessBuilder("redis-benchmark", "-h", "127.0.0.1", "-p", "6379", "-c", "16", "-n",
                "200000", "-t", "get", "-q").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        for (String line : out.split("[\r\n]+")) {
            if (line.contains("requests per second")) {
                System.out.println("redis-benchmark -c 16 -n 200000 -t get: " + line.trim());
            }
        }
    }
}
