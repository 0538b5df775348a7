package dev.fletcher.bench;

import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.MetricQuery;
import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.engine.sql.MetricSql;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import dev.fletcher.warehouse.duckdb.DuckDBWarehouseFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * A month of daily revenue by country over N orders in DuckDB, timed three ways and printed as medians: the
 * hand-written DuckDB query of the same result (on its own JDBC connection, and through a session of the DuckDB plugin
 * as the engine's statements run), Fletcher's metrics engine in-process on the DuckDB plugin (plan,
 * describe, render, run), and Fletcher end to end ({@code POST /api/v1/metrics/query} on the packaged server as a child
 * process, the JSON answer read whole). The server reads a copy of the DuckDB file (DuckDB lets one process write a
 * file), so all three alternate run by run; the in-process two stream Arrow batches.
 *
 * <pre>
 * --orders N (10000000)  --runs R (5)  --warmup W (5)  --db FILE (bench-data/metrics.duckdb)  --modes hand,hand-plugin,engine,server
 * --server JAR (server/target/quarkus-app/quarkus-run.jar)  --heap 256m  --explain
 * --dimensions   instead: the engine in-process on revenue, revenue_28d and revenue_mtd, each by country and by
 *                customer_profile__plan (the plan each customer had at the order, a point-in-time join), with the
 *                ratio of the two
 * </pre>
 */
public final class MetricsBench {
    private static final Instant START = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-03-01T00:00:00Z");
    private static final String CATALOG = """
            kind: entity
            name: customer
            keys: [customer_id]
            ---
            kind: source
            name: orders
            table: orders
            timestamp: ordered_at
            entity_columns: {customer: customer_id}
            ---
            kind: metric
            name: revenue
            source: orders
            entity: customer
            measure: {agg: sum, expr: revenue}
            filter: "status <> 'refunded'"
            dimensions: [country]
            ---
            kind: metric
            name: revenue_28d
            type: cumulative
            metric: revenue
            window: 28d
            ---
            kind: metric
            name: revenue_mtd
            type: cumulative
            metric: revenue
            grain_to_date: month
            ---
            kind: source
            name: profiles
            table: profiles
            timestamp: updated_at
            entity_columns: {customer: customer_id}
            ---
            kind: feature_view
            name: customer_profile
            entity: customer
            source: profiles
            features:
              - {name: plan, column: plan, type: string}
            """;
    /** The dimension-comparison mode: each metric by a plain dimension and by a point-in-time one. */
    private static final List<String> COMPARED_METRICS = List.of("revenue", "revenue_28d", "revenue_mtd");
    private static final List<String> COMPARED_DIMENSIONS = List.of("country", "customer_profile__plan");
    private static final String HAND = "SELECT date_trunc('day', ordered_at) AS metric_time__day, country,"
            + " SUM(revenue) AS revenue FROM orders WHERE ordered_at >= ? AND ordered_at < ? AND status <> 'refunded'"
            + " GROUP BY 1, 2 ORDER BY 1, 2";

    private MetricsBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(key, flag ? "true" : args[++i]);
        }
        long orders = Long.parseLong(options.getOrDefault("orders", "10000000"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        Path db = Path.of(options.getOrDefault("db", "bench-data/metrics.duckdb")).toAbsolutePath();
        List<String> modes = List.of(options.getOrDefault("modes", "hand,hand-plugin,engine,server").split(","));
        System.out.printf("bench: %d orders, %d runs, %d cores, max heap of this JVM %d MB%n", orders, runs,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        ensure(db, orders);

        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        ServerRuns server = null;
        if (modes.contains("server")) {
            Path copy = db.resolveSibling(db.getFileName() + ".server");
            Files.copy(db, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            server = new ServerRuns(Path.of(options.getOrDefault("server", "server/target/quarkus-app/quarkus-run.jar")),
                    copy, options.getOrDefault("heap", "256m"));
        }
        Properties properties = new Properties();
        properties.setProperty("jdbc_stream_results", "true");
        try (Connection hand = DriverManager.getConnection("jdbc:duckdb:" + db, properties);
                BufferAllocator allocator = new RootAllocator();
                Warehouse warehouse = new DuckDBWarehouseFactory().create(new PluginConfig("default",
                        Map.of("url", db.toString()), db.getParent()))) {
            Catalog catalog = Catalog.of(BundleParser.parse("bench.yaml", CATALOG).objects().stream()
                    .map(ParsedObject::object).toList());
            MetricQuery query = new MetricQuery(List.of("revenue"), List.of("metric_time__day", "country"), List.of(),
                    START, END, false, List.of(), null, false);
            if (options.containsKey("dimensions")) {
                compareDimensions(catalog, warehouse, allocator, runs, warmup, options.containsKey("explain"));
                return;
            }
            if (options.containsKey("explain")) {
                try (WarehouseSession session = warehouse.openSession()) {
                    System.out.println(MetricSql.prepare(catalog, MetricPlanner.resolve(catalog, query),
                            warehouse.dialect(), session, allocator).statement().sql());
                }
            }
            for (int i = 1 - warmup; i <= runs; i++) {
                // Rounds up to 0 warm every way up (JIT in both JVMs, DuckDB's caches) and are not counted.
                if (modes.contains("hand")) {
                    record(seconds, "hand-written DuckDB", i, () -> handWritten(hand, allocator));
                }
                if (modes.contains("hand-plugin")) {
                    record(seconds, "hand-written, plugin session", i, () -> {
                        try (WarehouseSession session = warehouse.openSession();
                                ArrowReader reader = session.query(dev.fletcher.spi.warehouse.Statement.of(HAND, START,
                                        END), allocator)) {
                            return count(reader);
                        }
                    });
                }
                if (modes.contains("engine")) {
                    record(seconds, "Fletcher engine in-process", i, () -> {
                        try (WarehouseSession session = warehouse.openSession()) {
                            MetricSql sql = MetricSql.prepare(catalog, MetricPlanner.resolve(catalog, query),
                                    warehouse.dialect(), session, allocator);
                            try (ArrowReader reader = sql.run(session, allocator)) {
                                return count(reader);
                            }
                        }
                    });
                }
                if (server != null) {
                    record(seconds, "Fletcher REST (server)", i, server::run);
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        System.out.println("\nmedians of " + runs + " runs (ms):");
        Double hand = seconds.containsKey("hand-written DuckDB") ? median(seconds.get("hand-written DuckDB")) : null;
        seconds.forEach((name, list) -> {
            double median = median(list);
            System.out.printf(Locale.ROOT, "  %-30s %9.1f   (min %.1f, max %.1f)%s%n", name, median * 1000,
                    list.stream().mapToDouble(Double::doubleValue).min().orElse(0) * 1000,
                    list.stream().mapToDouble(Double::doubleValue).max().orElse(0) * 1000,
                    hand == null || name.startsWith("hand") ? "" : String.format(Locale.ROOT, "   %.2fx hand-written",
                            median / hand));
        });
    }

    private static void compareDimensions(Catalog catalog, Warehouse warehouse, BufferAllocator allocator, int runs,
            int warmup, boolean explain) throws Exception {
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        for (String metric : COMPARED_METRICS) {
            for (String dimension : COMPARED_DIMENSIONS) {
                MetricQuery query = new MetricQuery(List.of(metric), List.of("metric_time__day", dimension), List.of(),
                        START, END, false, List.of(), null, false);
                if (explain) {
                    try (WarehouseSession session = warehouse.openSession()) {
                        System.out.println(MetricSql.prepare(catalog, MetricPlanner.resolve(catalog, query),
                                warehouse.dialect(), session, allocator).statement().sql());
                    }
                }
                for (int i = 1 - warmup; i <= runs; i++) {
                    record(seconds, metric + " by " + dimension, i, () -> {
                        try (WarehouseSession session = warehouse.openSession()) {
                            MetricSql sql = MetricSql.prepare(catalog, MetricPlanner.resolve(catalog, query),
                                    warehouse.dialect(), session, allocator);
                            try (ArrowReader reader = sql.run(session, allocator)) {
                                return count(reader);
                            }
                        }
                    });
                }
            }
        }
        System.out.println("\nmedians of " + runs + " runs (ms), engine in-process:");
        for (String metric : COMPARED_METRICS) {
            double plain = median(seconds.get(metric + " by " + COMPARED_DIMENSIONS.get(0)));
            double pointInTime = median(seconds.get(metric + " by " + COMPARED_DIMENSIONS.get(1)));
            System.out.printf(Locale.ROOT, "  %-14s by country %9.1f   by plan %9.1f   %.2fx%n", metric, plain * 1000,
                    pointInTime * 1000, pointInTime / plain);
        }
    }

    @FunctionalInterface
    private interface Run {
        long rows() throws Exception;
    }

    private static void record(Map<String, List<Double>> seconds, String name, int run, Run body) throws Exception {
        long started = System.nanoTime();
        long rows = body.rows();
        double s = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%s run %d: %.1f ms, %d rows%s%n", name, run, s * 1000, rows,
                run <= 0 ? " (warm-up)" : "");
        if (run > 0) {
            seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
        }
    }

    /** Generates the orders once: N rows over 90 days from 2026-01-01, five countries, one in twenty refunded. */
    private static void ensure(Path db, long orders) throws Exception {
        Files.createDirectories(db.getParent());
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + db);
                java.sql.Statement statement = connection.createStatement()) {
            try (ResultSet existing = statement.executeQuery("SELECT COUNT(*) FROM information_schema.tables"
                    + " WHERE table_name = 'orders'")) {
                existing.next();
                if (existing.getLong(1) > 0) {
                    try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM orders")) {
                        count.next();
                        if (count.getLong(1) == orders) {
                            System.out.println("data: reusing " + orders + " orders in " + db);
                            ensureProfiles(statement);
                            return;
                        }
                    }
                }
            }
            long started = System.nanoTime();
            statement.execute("CREATE OR REPLACE TABLE orders AS SELECT 'o' || i AS order_id,"
                    + " 'c' || (hash(i) % 100000) AS customer_id,"
                    + " TIMESTAMP '2026-01-01' + to_seconds(CAST(i * (90 * 86400) // " + orders + " AS BIGINT))"
                    + " + to_microseconds(CAST(hash(i) % 1000000 AS BIGINT))"
                    + " AS ordered_at,"
                    + " CAST((hash(i * 7 + 1) % 20000) / 100.0 AS DOUBLE) AS revenue,"
                    + " CASE WHEN hash(i * 3 + 2) % 20 = 0 THEN 'refunded' ELSE 'completed' END AS status,"
                    + " ['DE', 'FR', 'US', 'GB', 'ES'][1 + CAST(hash(i * 5 + 3) % 5 AS INTEGER)] AS country"
                    + " FROM range(" + orders + ") AS t(i)");
            System.out.printf(Locale.ROOT, "data: generated %d orders in %.1f s%n", orders,
                    (System.nanoTime() - started) / 1e9);
            ensureProfiles(statement);
        }
    }

    /** Three plan changes per customer, the first before any order and the others among them. */
    private static void ensureProfiles(java.sql.Statement statement) throws Exception {
        try (ResultSet existing = statement.executeQuery("SELECT COUNT(*) FROM information_schema.tables"
                + " WHERE table_name = 'profiles'")) {
            existing.next();
            if (existing.getLong(1) > 0) {
                return;
            }
        }
        statement.execute("CREATE TABLE profiles AS SELECT 'c' || (i // 3) AS customer_id,"
                + " CASE WHEN i % 3 = 0 THEN TIMESTAMP '2025-12-01'"
                + " ELSE TIMESTAMP '2026-01-01' + to_seconds(CAST(hash(i) % (90 * 86400) AS BIGINT)) END AS updated_at,"
                + " ['free', 'basic', 'pro'][1 + CAST(hash(i * 11) % 3 AS INTEGER)] AS plan"
                + " FROM range(300000) AS t(i)");
        System.out.println("data: generated 300000 profile rows");
    }

    /** One connection for every run, as the engine's warehouse keeps its own. */
    private static long handWritten(Connection connection, BufferAllocator allocator) throws Exception {
        try (java.sql.Statement setup = connection.createStatement()) {
            setup.execute("SET TimeZone = 'UTC'");
            try (PreparedStatement statement = connection.prepareStatement(HAND)) {
                statement.setObject(1, LocalDateTime.ofInstant(START, ZoneOffset.UTC));
                statement.setObject(2, LocalDateTime.ofInstant(END, ZoneOffset.UTC));
                try (ResultSet result = statement.executeQuery();
                        ArrowReader reader = (ArrowReader) result.unwrap(DuckDBResultSet.class)
                                .arrowExportStream(allocator, 8192)) {
                    return count(reader);
                }
            }
        }
    }

    private static long count(ArrowReader reader) throws Exception {
        long rows = 0;
        while (reader.loadNextBatch()) {
            rows += reader.getVectorSchemaRoot().getRowCount();
        }
        return rows;
    }

    /** The packaged server as a child process, answering the same query over REST. */
    private static final class ServerRuns implements AutoCloseable {
        private final ServerProcess server;
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final URI uri;
        private final String body = "{\"metrics\": [\"revenue\"], \"group_by\": [\"metric_time__day\", \"country\"],"
                + " \"start\": \"" + START + "\", \"end\": \"" + END + "\"}";

        ServerRuns(Path jar, Path db, String heap) throws Exception {
            Path dataDir = db.getParent().resolve("metrics-server-data");
            server = ServerProcess.start(jar, db, dataDir, heap, Integer.getInteger("bench.http.port", 18080),
                    Integer.getInteger("bench.flight.port", 18815));
            try (FletcherClient fletcher = FletcherClient.connect(server.httpBase())) {
                fletcher.apply(CATALOG);
            }
            uri = server.httpBase().resolve("/api/v1/metrics/query");
        }

        long run() throws Exception {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("the server answered " + answer.statusCode() + ": " + answer.body());
            }
            return answer.body().split("\\],\\[", -1).length;
        }

        @Override
        public void close() throws InterruptedException {
            server.close();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
