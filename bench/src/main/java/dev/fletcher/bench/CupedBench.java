package dev.fletcher.bench;

import dev.fletcher.catalog.model.Aggregation;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.Entity;
import dev.fletcher.catalog.model.Experiment;
import dev.fletcher.catalog.model.Metric;
import dev.fletcher.catalog.model.Source;
import dev.fletcher.catalog.model.Window;
import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginKind;
import dev.fletcher.spi.Plugins;
import dev.fletcher.spi.analysis.AnalysisFactory;
import dev.fletcher.spi.analysis.AnalysisOptions;
import dev.fletcher.spi.analysis.AnalysisRequest;
import dev.fletcher.spi.analysis.ExperimentAnalysis;
import dev.fletcher.spi.analysis.MetricResult;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.ejml.simple.SimpleMatrix;

/**
 * CUPED with k covariates over N subjects in DuckDB, three ways, in one JVM, printing wall time and peak heap:
 * Fletcher's analysis (sufficient statistics computed in the warehouse), the in-memory way (the same per-subject
 * values pulled into the JVM, then X'X, the fit and HC1 computed there), and hand-written sums (the least a
 * warehouse must do: one query for X'X and X'y by variant, one for HC1's Σ e²·x xᵀ with the fitted coefficients
 * bound, each computing the per-subject values itself).
 *
 * <pre>
 * --subjects 100000,1000000  --covariates 1,10  --modes fletcher,memory,sums  --db bench-data/cuped.duckdb
 * --runs 3  --trace true (each warehouse session of Fletcher's analysis, timed)
 * </pre>
 */
public final class CupedBench {
    private CupedBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<Long> sizes = list(options.getOrDefault("subjects", "100000,1000000,10000000")).stream()
                .map(Long::parseLong).toList();
        List<Integer> widths = list(options.getOrDefault("covariates", "1,10,50")).stream()
                .map(Integer::parseInt).toList();
        List<String> modes = list(options.getOrDefault("modes", "fletcher,memory,sums"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "1"));
        boolean trace = Boolean.parseBoolean(options.getOrDefault("trace", "false"));
        Path db = Path.of(options.getOrDefault("db", "bench-data/cuped.duckdb"));
        Files.createDirectories(db.toAbsolutePath().getParent());
        System.out.printf(Locale.ROOT, "%-10s %4s %-9s %10s %12s %14s%n", "subjects", "k", "mode", "wall_s",
                "peak_heap_mb", "estimate");
        try (Warehouse warehouse = Plugins.load(WarehouseFactory.class, PluginKind.WAREHOUSE).find("duckdb")
                .create(new PluginConfig("default", Map.of("url", db.toAbsolutePath().toString()),
                        db.toAbsolutePath().getParent()));
                BufferAllocator allocator = new RootAllocator();
                ExperimentAnalysis analysis = Plugins.load(AnalysisFactory.class, PluginKind.ANALYSIS).find("cuped")
                        .create(new PluginConfig("analysis", Map.of(), db.toAbsolutePath().getParent()))) {
            for (long n : sizes) {
                for (int k : widths) {
                    load(warehouse, n, k);
                    for (String mode : Collections.nCopies(runs, modes).stream().flatMap(List::stream).toList()) {
                        System.gc();
                        HeapPeak peak = new HeapPeak();
                        long start = System.nanoTime();
                        double estimate = switch (mode) {
                            case "fletcher" -> trace ? traced(warehouse, allocator, analysis, k)
                                    : fletcher(warehouse, allocator, analysis, k);
                            case "memory" -> inMemory(warehouse, allocator, k);
                            case "sums" -> handWrittenSums(warehouse, allocator, k);
                            default -> throw new IllegalArgumentException("unknown mode " + mode);
                        };
                        double seconds = (System.nanoTime() - start) / 1e9;
                        System.out.printf(Locale.ROOT, "%-10d %4d %-9s %10.2f %12.0f %14.6f%n", n, k, mode, seconds,
                                peak.stop() / 1048576.0, estimate);
                    }
                }
            }
        }
    }

    private static List<String> list(String value) {
        return List.of(value.split(","));
    }

    /** One assignment per subject; one row before it (the covariates) and one after it (the outcome). */
    private static void load(Warehouse warehouse, long n, int k) {
        StringBuilder pre = new StringBuilder();
        StringBuilder post = new StringBuilder();
        for (int j = 0; j < k; j++) {
            pre.append(", u + ").append(j + 1).append(" * random() AS c").append(j);
            post.append(", 0.0 AS c").append(j);
        }
        try (WarehouseSession session = warehouse.openSession()) {
            session.execute(Statement.of("CREATE OR REPLACE TABLE assignments AS SELECT i AS customer_id,"
                    + " TIMESTAMP '2026-01-01' + to_seconds(i % 864000) AS assigned_at,"
                    + " CASE WHEN hash(i) % 2 = 0 THEN 'control' ELSE 'treatment' END AS variant FROM range(" + n
                    + ") AS t(i)"));
            session.execute(Statement.of("CREATE OR REPLACE TABLE events AS"
                    + " WITH s AS (SELECT customer_id, assigned_at, variant, (hash(customer_id) % 1000) / 100.0 AS u"
                    + " FROM assignments)"
                    + " SELECT customer_id, assigned_at - INTERVAL 1 DAY AS at, 0.0 AS y" + pre + " FROM s"
                    + " UNION ALL SELECT customer_id, assigned_at + INTERVAL 1 DAY, 1e6 + 2 * u + random()"
                    + " + CASE WHEN variant = 'treatment' THEN 0.1 ELSE 0 END" + post + " FROM s"));
        }
    }

    private static Catalog catalog(int k) {
        List<CatalogObject> objects = new ArrayList<>();
        objects.add(new Entity("customer", List.of("customer_id")));
        Map<String, List<String>> keys = Map.of("customer", List.of("customer_id"));
        objects.add(new Source("assignments", "default", "assignments", null, "assigned_at", null, keys, null, null,
                Map.of()));
        objects.add(new Source("events", "default", "events", null, "at", null, keys, null, null, Map.of()));
        objects.add(new Metric.Simple("outcome", "events", "customer", new Metric.Measure(Aggregation.SUM, "y"), null,
                List.of(), null, Map.of()));
        for (int j = 0; j < k; j++) {
            objects.add(new Metric.Simple("c" + j, "events", "customer", new Metric.Measure(Aggregation.SUM, "c" + j),
                    null, List.of(), null, Map.of()));
        }
        objects.add(new Experiment("bench", "customer", new Experiment.Assignments("assignments", "variant"), "control",
                Window.parse("2d"), List.of("outcome"), new Experiment.Cuped(Window.parse("2d")), Map.of(), null,
                Map.of()));
        return Catalog.of(objects);
    }

    private static double fletcher(Warehouse warehouse, BufferAllocator allocator, ExperimentAnalysis analysis, int k) {
        List<String> covariates = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            covariates.add("c" + j);
        }
        MetricResult result = analysis.analyze(new AnalysisRequest(catalog(k), "bench",
                new AnalysisOptions(true, covariates, null), name -> warehouse, allocator)).results().get(0);
        if (result.cuped() == null) {
            throw new IllegalStateException("no CUPED result: " + result.messages());
        }
        return result.cuped().estimate().estimate();
    }

    /** Fletcher's analysis with every warehouse session it opens timed and printed: what its wall time is made of. */
    private static double traced(Warehouse warehouse, BufferAllocator allocator, ExperimentAnalysis analysis, int k) {
        TimedWarehouse timed = new TimedWarehouse(warehouse);
        timed.reset();
        long start = System.nanoTime();
        double estimate = fletcher(timed, allocator, analysis, k);
        System.out.printf(Locale.ROOT, "  sessions of one analysis (%.1f ms in all):%n", (System.nanoTime() - start) / 1e6);
        timed.print();
        return estimate;
    }

    /** Per subject: t (1 for treatment), y and the covariates c0.., as the in-memory way reads them. */
    private static String subjects(int k) {
        StringBuilder sql = new StringBuilder("WITH f AS (SELECT customer_id, MIN(assigned_at) AS a, MIN(variant) AS v"
                + " FROM assignments GROUP BY customer_id HAVING COUNT(DISTINCT variant) = 1),\n"
                + "s AS (SELECT CAST(CASE WHEN f.v = 'treatment' THEN 1 ELSE 0 END AS DOUBLE) AS t,"
                + " CAST(COALESCE(SUM(CASE WHEN e.at >= f.a AND e.at < f.a + INTERVAL 2 DAY THEN e.y END), 0) AS DOUBLE)"
                + " AS y");
        for (int j = 0; j < k; j++) {
            sql.append(", CAST(COALESCE(SUM(CASE WHEN e.at >= f.a - INTERVAL 2 DAY AND e.at < f.a THEN e.c").append(j)
                    .append(" END), 0) AS DOUBLE) AS c").append(j);
        }
        return sql.append("\nFROM f LEFT JOIN events AS e ON e.customer_id = f.customer_id GROUP BY f.customer_id,"
                + " f.v)\n").toString();
    }

    /**
     * The hand-written way: X'X and X'y (design 1, t, covariates) summed by the warehouse, the fit solved here, then
     * Σ e²·x xᵀ summed by the warehouse with the coefficients bound; two queries, each computing the per-subject
     * values itself. Raw sums, no centring: the least work, not the most careful.
     */
    private static double handWrittenSums(Warehouse warehouse, BufferAllocator allocator, int k) throws Exception {
        int p = k + 2;
        List<String> x = new ArrayList<>(List.of("1.0", "t"));
        for (int j = 0; j < k; j++) {
            x.add("c" + j);
        }
        StringBuilder sums = new StringBuilder(subjects(k)).append("SELECT COUNT(*)");
        for (int a = 0; a < p; a++) {
            sums.append(", SUM(").append(x.get(a)).append(" * y)");
            for (int b = a; b < p; b++) {
                sums.append(", SUM(").append(x.get(a)).append(" * ").append(x.get(b)).append(")");
            }
        }
        sums.append(" FROM s");
        double[] first = row(warehouse, allocator, Statement.of(sums.toString()));
        SimpleMatrix xtx = new SimpleMatrix(p, p);
        SimpleMatrix xty = new SimpleMatrix(p, 1);
        int at = 1;
        for (int a = 0; a < p; a++) {
            xty.set(a, 0, first[at++]);
            for (int b = a; b < p; b++) {
                xtx.set(a, b, first[at]);
                xtx.set(b, a, first[at++]);
            }
        }
        long n = Math.round(first[0]);
        SimpleMatrix inverse = xtx.invert();
        SimpleMatrix beta = inverse.mult(xty);
        StringBuilder residual = new StringBuilder("(y");
        List<Object> parameters = new ArrayList<>();
        for (int a = 0; a < p; a++) {
            residual.append(" - ? * ").append(x.get(a));
            parameters.add(beta.get(a));
        }
        residual.append(")");
        StringBuilder meatSql = new StringBuilder(subjects(k)).append("SELECT 0");
        List<Object> bound = new ArrayList<>();
        for (int a = 0; a < p; a++) {
            for (int b = a; b < p; b++) {
                meatSql.append(", SUM(").append(residual).append(" * ").append(residual).append(" * ").append(x.get(a))
                        .append(" * ").append(x.get(b)).append(")");
                bound.addAll(parameters);
                bound.addAll(parameters);
            }
        }
        meatSql.append(" FROM s");
        double[] second = row(warehouse, allocator, new Statement(meatSql.toString(), bound));
        SimpleMatrix meat = new SimpleMatrix(p, p);
        at = 1;
        for (int a = 0; a < p; a++) {
            for (int b = a; b < p; b++) {
                meat.set(a, b, second[at]);
                meat.set(b, a, second[at++]);
            }
        }
        SimpleMatrix robust = inverse.mult(meat).mult(inverse).scale((double) n / (n - p));
        if (!(robust.get(1, 1) >= 0)) {
            throw new IllegalStateException("negative robust variance");
        }
        return beta.get(1);
    }

    private static double[] row(Warehouse warehouse, BufferAllocator allocator, Statement statement) throws Exception {
        try (WarehouseSession session = warehouse.openSession();
                ArrowReader reader = session.query(statement, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            if (!reader.loadNextBatch() || root.getRowCount() != 1) {
                throw new IllegalStateException("the sums came back without their one row");
            }
            double[] values = new double[root.getFieldVectors().size()];
            for (int c = 0; c < values.length; c++) {
                Object value = root.getVector(c).getObject(0);
                values[c] = value == null ? 0 : ((Number) value).doubleValue();
            }
            return values;
        }
    }

    /** Every subject's row (treatment, outcome, covariates) fetched into the JVM, then fitted there. */
    private static double inMemory(Warehouse warehouse, BufferAllocator allocator, int k) throws Exception {
        String sql = subjects(k) + "SELECT * FROM s";
        int p = k + 2;
        int rows = 0;
        double[][] data = new double[k + 2][];
        try (WarehouseSession session = warehouse.openSession();
                ArrowReader reader = session.query(Statement.of(sql), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            for (int c = 0; c < k + 2; c++) {
                data[c] = new double[1 << 16];
            }
            while (reader.loadNextBatch()) {
                int count = root.getRowCount();
                for (int c = 0; c < k + 2; c++) {
                    if (data[c].length < rows + count) {
                        data[c] = java.util.Arrays.copyOf(data[c], Math.max(rows + count, data[c].length * 2));
                    }
                    FieldVector vector = root.getVector(c);
                    Float8Vector values = (Float8Vector) vector;
                    for (int r = 0; r < count; r++) {
                        data[c][rows + r] = values.get(r);
                    }
                }
                rows += count;
            }
        }
        // Design: 1, t, centred covariates; outcome centred. Centre first (two passes), as careful code does.
        int n = rows;
        double[] mean = new double[k + 2];
        for (int c = 0; c < k + 2; c++) {
            double s = 0;
            for (int r = 0; r < n; r++) {
                s += data[c][r];
            }
            mean[c] = s / n;
        }
        SimpleMatrix xtx = new SimpleMatrix(p, p);
        SimpleMatrix xty = new SimpleMatrix(p, 1);
        double[] x = new double[p];
        for (int r = 0; r < n; r++) {
            x[0] = 1;
            x[1] = data[0][r];
            for (int j = 0; j < k; j++) {
                x[j + 2] = data[j + 2][r] - mean[j + 2];
            }
            double y = data[1][r] - mean[1];
            for (int a = 0; a < p; a++) {
                xty.set(a, 0, xty.get(a, 0) + x[a] * y);
                for (int b = a; b < p; b++) {
                    xtx.set(a, b, xtx.get(a, b) + x[a] * x[b]);
                }
            }
        }
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < a; b++) {
                xtx.set(a, b, xtx.get(b, a));
            }
        }
        SimpleMatrix inverse = xtx.invert();
        SimpleMatrix beta = inverse.mult(xty);
        SimpleMatrix meat = new SimpleMatrix(p, p);
        for (int r = 0; r < n; r++) {
            x[0] = 1;
            x[1] = data[0][r];
            double e = data[1][r] - mean[1] - beta.get(0) - beta.get(1) * x[1];
            for (int j = 0; j < k; j++) {
                x[j + 2] = data[j + 2][r] - mean[j + 2];
                e -= beta.get(j + 2) * x[j + 2];
            }
            for (int a = 0; a < p; a++) {
                for (int b = a; b < p; b++) {
                    meat.set(a, b, meat.get(a, b) + e * e * x[a] * x[b]);
                }
            }
        }
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < a; b++) {
                meat.set(a, b, meat.get(b, a));
            }
        }
        // The robust covariance, as the analysis reports it (its cost belongs to the comparison).
        SimpleMatrix robust = inverse.mult(meat).mult(inverse).scale((double) n / (n - p));
        if (!(robust.get(1, 1) >= 0)) {
            throw new IllegalStateException("negative robust variance");
        }
        return beta.get(1);
    }

    /** Samples heap use every 10 ms (all heap pools) and remembers the highest. */
    private static final class HeapPeak {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread sampler;

        HeapPeak() {
            List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
            sampler = new Thread(() -> {
                while (running.get()) {
                    long used = pools.stream().mapToLong(pool -> pool.getUsage().getUsed()).sum();
                    peak.accumulateAndGet(used, Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
        }

        long stop() throws InterruptedException {
            running.set(false);
            sampler.join();
            return peak.get();
        }
    }
}
