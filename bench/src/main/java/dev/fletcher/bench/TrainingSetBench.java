package dev.fletcher.bench;

import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.engine.sql.TrainingSetQuery;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import dev.fletcher.warehouse.duckdb.DuckDBWarehouseFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Properties;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * Times a training set of N entity rows over M feature views three ways on the same DuckDB file and prints the
 * medians: the hand-written DuckDB query, Fletcher's engine in-process on the DuckDB plugin, and Fletcher end to
 * end (the packaged server as a child process, GetFlightInfo with entity_sql, then DoGet reading every batch),
 * with the server's peak heap. Every result is streamed in Arrow batches and its rows counted.
 *
 * <pre>
 * --entities N (1000000)  --views M (2)  --source-rows S per view (10000000)  --keys K (100000)  --runs R (3)
 * --db FILE (bench-data/bench.duckdb)  --server JAR (server/target/quarkus-app/quarkus-run.jar)  --heap 256m
 * --modes hand,engine,server  --explain (print the engine's SQL)
 * </pre>
 */
public final class TrainingSetBench {
    private TrainingSetBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Bench.options(args, Set.of("explain"));
        BenchData data = new BenchData(Bench.longOption(options, "entities", 1_000_000), (int) Bench.longOption(options, "views", 2),
                Bench.longOption(options, "source-rows", 10_000_000), Bench.longOption(options, "keys", 100_000));
        int runs = (int) Bench.longOption(options, "runs", 3);
        Path db = Path.of(options.getOrDefault("db", "bench-data/bench.duckdb"));
        List<String> modes = List.of(options.getOrDefault("modes", "hand,engine,server").split(","));
        System.out.printf("bench: %d entity rows, %d views, %d source rows per view, %d keys, %d runs, %d cores, "
                        + "max heap of this JVM %d MB%n", data.entities(), data.views(), data.sourceRows(), data.keys(),
                runs, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        data.ensure(db);

        Map<String, Bench.Run> modesToRun = new LinkedHashMap<>();
        Map<String, Double> medians = new LinkedHashMap<>();
        Path jar = Path.of(options.getOrDefault("server", "server/target/quarkus-app/quarkus-run.jar"));
        String heap = options.getOrDefault("heap", "256m");
        long[] peakHeap = {0, 0};
        try (BufferAllocator allocator = new RootAllocator()) {
            if (modes.contains("hand")) {
                modesToRun.put("hand-written DuckDB", () -> handWritten(db, data, allocator));
            }
            if (modes.contains("engine")) {
                modesToRun.put("Fletcher engine in-process", () -> engine(db, data, allocator, options.containsKey("explain")));
            }
            if (modes.contains("server")) {
                modesToRun.put("Fletcher over Flight", null);
            }
            // Alternated run by run, so that a load change on the machine falls on every mode alike. The server
            // holds the DuckDB file while it runs, so it starts before its run (not timed) and stops after it.
            Map<String, List<Double>> seconds = new LinkedHashMap<>();
            for (int i = 0; i < runs; i++) {
                for (Map.Entry<String, Bench.Run> run : modesToRun.entrySet()) {
                    double s;
                    if (run.getValue() == null) {
                        s = serverRun(jar, db, data, i, heap, peakHeap);
                    } else {
                        s = Bench.timeOnce(run.getKey(), i, run.getValue());
                    }
                    seconds.computeIfAbsent(run.getKey(), k -> new ArrayList<>()).add(s);
                }
            }
            seconds.forEach((name, list) -> medians.put(name, Bench.median(list)));
        }
        if (modes.contains("server")) {
            System.out.printf("server: peak heap in use %d MB, peak live data after GC %d MB over all runs (max heap %s)%n",
                    peakHeap[0] >> 20, peakHeap[1] >> 20, heap);
        }
        System.out.println("\nmedians (s):");
        Double hand = medians.get("hand-written DuckDB");
        medians.forEach((name, seconds) -> System.out.printf(Locale.ROOT, "  %-28s %8.2f%s%n", name, seconds,
                hand == null || name.startsWith("hand") ? "" : String.format(Locale.ROOT, "   %.2fx hand-written", seconds / hand)));
    }

    private static long handWritten(Path db, BenchData data, BufferAllocator allocator) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jdbc_stream_results", "true");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + db, properties);
                java.sql.Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(data.handWrittenSql());
                ArrowReader reader = (ArrowReader) result.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, 8192)) {
            return Bench.count(reader);
        }
    }

    private static long engine(Path db, BenchData data, BufferAllocator allocator, boolean explain) throws Exception {
        Catalog catalog = Catalog.of(BundleParser.parse("bench.yaml", data.catalogYaml()).objects().stream()
                .map(ParsedObject::object).toList());
        TrainingSetRequest request = new TrainingSetRequest(data.features().stream().map(FeatureRef::parse).toList(),
                new EntityInput.Query(BenchData.entitySql()), BenchData.TIMESTAMP_COLUMN, false);
        try (Warehouse warehouse = new DuckDBWarehouseFactory().create(new PluginConfig("default",
                Map.of("url", db.toAbsolutePath().toString()), db.toAbsolutePath().getParent()));
                WarehouseSession session = warehouse.openSession()) {
            TrainingSetQuery query = TrainingSetQuery.prepare(catalog, request, warehouse.dialect(), session, allocator);
            if (explain) {
                System.out.println(query.statement().sql());
            }
            try (ArrowReader reader = query.run(session, allocator)) {
                return Bench.count(reader);
            }
        }
    }

    /**
     * One end-to-end run: starts the packaged server on the file, applies the generated catalog (unchanged after
     * the first run), then times GetFlightInfo with entity_sql and DoGet of every endpoint, reading every batch,
     * while sampling the server's heap into {@code peakHeap} (in use, live after GC).
     */
    private static double serverRun(Path jar, Path db, BenchData data, int i, String heap, long[] peakHeap)
            throws Exception {
        Path dataDir = db.toAbsolutePath().getParent().resolve("server-data");
        int http = Integer.getInteger("bench.http.port", 18080);
        int flight = Integer.getInteger("bench.flight.port", 18815);
        try (ServerProcess server = ServerProcess.start(jar, db, dataDir, heap, http, flight);
                FletcherClient client = FletcherClient.connect(server.httpBase());
                BufferAllocator allocator = new RootAllocator();
                FlightClient flightClient = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", flight))
                        .build()) {
            client.apply(data.catalogYaml());
            System.out.printf("server: heap in use at rest %d MB%n", server.heap()[0] >> 20);
            FlightDescriptor descriptor = data.entitySqlCommand();
            server.startSampling();
            try {
                return Bench.timeOnce("Fletcher over Flight", i, () -> Bench.readAll(flightClient, descriptor));
            } finally {
                long[] peak = server.stopSampling();
                System.out.printf("server: peak heap in use %d MB, peak live data after GC %d MB%n", peak[0] >> 20,
                        peak[1] >> 20);
                peakHeap[0] = Math.max(peakHeap[0], peak[0]);
                peakHeap[1] = Math.max(peakHeap[1], peak[1]);
            }
        }
    }
}
