package dev.fletcher.bench;

import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.engine.sql.TrainingSetQuery;
import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.Plugins;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * The training-set benchmark on an engine past one machine (Trino or Spark Connect): the same data set as
 * {@link TrainingSetBench}, generated inside the engine, then timed three ways, alternated run by run: a
 * hand-written query of the same result on the same engine through the same plugin session, Fletcher's engine
 * in-process, and Fletcher end to end (the packaged server, GetFlightInfo with entity_sql, DoGet of every batch)
 * with the server's heap sampled while it streams. Prints each run and the medians.
 *
 * <pre>
 * --engine trino|spark  --warehouse key=value,key=value (the plugin's properties, e.g. url=...)
 * --entities N (1000000)  --views M (2)  --source-rows S per view (10000000)  --keys K (100000)  --runs R (3)
 * --server JAR (server/target/quarkus-app/quarkus-run.jar)  --heap 256m  --modes hand,engine,server
 * --regenerate (drop and generate the tables again)
 * </pre>
 */
public final class EngineTrainingSetBench {
    private EngineTrainingSetBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Bench.options(args, Set.of("regenerate"));
        String engine = Bench.require(options, "engine");
        EngineSql sql = EngineSql.of(engine);
        Map<String, String> properties = properties(Bench.require(options, "warehouse"));
        BenchData data = new BenchData(Bench.longOption(options, "entities", 1_000_000), (int) Bench.longOption(options, "views", 2),
                Bench.longOption(options, "source-rows", 10_000_000), Bench.longOption(options, "keys", 100_000));
        int runs = (int) Bench.longOption(options, "runs", 3);
        List<String> modes = List.of(options.getOrDefault("modes", "hand,engine,server").split(","));
        System.out.printf("bench on %s: %d entity rows, %d views, %d source rows per view, %d keys, %d runs, %d cores%n",
                engine, data.entities(), data.views(), data.sourceRows(), data.keys(), runs,
                Runtime.getRuntime().availableProcessors());
        Path dataDir = Path.of(options.getOrDefault("data-dir", "bench-data")).toAbsolutePath();
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        long[] peakHeap = {0, 0};
        try (BufferAllocator allocator = new RootAllocator();
                Warehouse warehouse = Plugins.load(WarehouseFactory.class, PluginKind.WAREHOUSE).find(engine)
                        .create(new PluginConfig("default", properties, dataDir))) {
            try (WarehouseSession session = warehouse.openSession()) {
                generate(session, sql, data, options.containsKey("regenerate"));
            }
            Catalog catalog = Catalog.of(BundleParser.parse("bench.yaml", data.catalogYaml()).objects().stream()
                    .map(ParsedObject::object).toList());
            for (int i = 0; i < runs; i++) {
                if (modes.contains("hand")) {
                    String hand = sql.handWritten(data);
                    record(seconds, "hand-written " + engine, i, () -> {
                        try (WarehouseSession session = warehouse.openSession();
                                ArrowReader reader = session.query(new Statement(hand, List.of()), allocator)) {
                            return Bench.count(reader);
                        }
                    });
                }
                if (modes.contains("engine")) {
                    record(seconds, "Fletcher engine in-process", i, () -> {
                        TrainingSetRequest request = new TrainingSetRequest(
                                data.features().stream().map(FeatureRef::parse).toList(),
                                new EntityInput.Query(BenchData.entitySql()), BenchData.TIMESTAMP_COLUMN, false);
                        try (WarehouseSession session = warehouse.openSession()) {
                            TrainingSetQuery query = TrainingSetQuery.prepare(catalog, request, warehouse.dialect(),
                                    session, allocator);
                            try (ArrowReader reader = query.run(session, allocator)) {
                                return Bench.count(reader);
                            }
                        }
                    });
                }
                if (modes.contains("server")) {
                    double s = serverRun(options, engine, properties, dataDir, data, i, peakHeap);
                    seconds.computeIfAbsent("Fletcher over Flight", k -> new ArrayList<>()).add(s);
                }
            }
        }
        if (modes.contains("server")) {
            System.out.printf("server: peak heap in use %d MB, peak live data after GC %d MB over all runs (max heap %s)%n",
                    peakHeap[0] >> 20, peakHeap[1] >> 20, options.getOrDefault("heap", "256m"));
        }
        System.out.println("\nmedians (s):");
        Double hand = seconds.containsKey("hand-written " + engine) ? Bench.median(seconds.get("hand-written " + engine)) : null;
        seconds.forEach((name, list) -> System.out.printf(Locale.ROOT, "  %-28s %8.2f%s%n", name, Bench.median(list),
                hand == null || name.startsWith("hand") ? ""
                        : String.format(Locale.ROOT, "   %.2fx hand-written", Bench.median(list) / hand)));
    }

    /** Creates the entity and source tables in the engine unless they are there with the same signature. */
    private static void generate(WarehouseSession session, EngineSql sql, BenchData data, boolean regenerate)
            throws Exception {
        String signature = signature(data);
        if (!regenerate && session.tableExists("bench_meta")) {
            try (BufferAllocator allocator = new RootAllocator();
                    ArrowReader reader = session.query(Statement.of("SELECT signature FROM bench_meta"), allocator)) {
                if (reader.loadNextBatch() && reader.getVectorSchemaRoot().getRowCount() == 1
                        && signature.equals(reader.getVectorSchemaRoot().getVector(0).getObject(0).toString())) {
                    System.out.println("data: reusing the engine's tables");
                    return;
                }
            }
        }
        long started = System.nanoTime();
        for (String table : tables(data)) {
            session.dropTable(table);
        }
        for (int v = 0; v < data.views(); v++) {
            session.execute(Statement.of(sql.createSource(v, data)));
        }
        session.execute(Statement.of(sql.createEntities(data)));
        session.execute(Statement.of(sql.createMeta(signature)));
        System.out.printf("data: generated in the engine in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static List<String> tables(BenchData data) {
        List<String> tables = new ArrayList<>(List.of("bench_meta", "entities"));
        for (int v = 0; v < data.views(); v++) {
            tables.add("src_" + v);
        }
        return tables;
    }

    private static String signature(BenchData data) {
        return "v1 entities=" + data.entities() + " views=" + data.views() + " source_rows=" + data.sourceRows()
                + " keys=" + data.keys();
    }

    private static double serverRun(Map<String, String> options, String engine, Map<String, String> properties,
            Path dataDir, BenchData data, int i, long[] peakHeap) throws Exception {
        Path jar = Path.of(options.getOrDefault("server", "server/target/quarkus-app/quarkus-run.jar"));
        List<String> flags = new ArrayList<>(List.of("-Dfletcher.warehouses.default.plugin=" + engine));
        properties.forEach((key, value) -> flags.add("-Dfletcher.warehouses.default." + key + "=" + value));
        int http = Integer.getInteger("bench.http.port", 18080);
        int flight = Integer.getInteger("bench.flight.port", 18815);
        try (ServerProcess server = ServerProcess.start(jar, null, dataDir.resolve("server-" + engine),
                options.getOrDefault("heap", "256m"), http, flight, flags);
                FletcherClient client = FletcherClient.connect(server.httpBase());
                BufferAllocator allocator = new RootAllocator();
                FlightClient flightClient = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", flight))
                        .build()) {
            client.apply(data.catalogYaml());
            FlightDescriptor descriptor = data.entitySqlCommand();
            System.out.printf("server: heap in use at rest %d MB%n", server.heap()[0] >> 20);
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

    private static void record(Map<String, List<Double>> seconds, String name, int i, Bench.Run run) throws Exception {
        seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(Bench.timeOnce(name, i, run));
    }

    private static Map<String, String> properties(String list) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String pair : list.split(",")) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--warehouse takes key=value pairs separated by commas, got '" + pair + "'");
            }
            properties.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return properties;
    }
}
