package dev.fletcher.analysis.cuped;

import dev.fletcher.spi.analysis.AnalysisException;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.sql.ArrowColumns;
import dev.fletcher.engine.sql.ExperimentSql;
import dev.fletcher.spi.warehouse.Capabilities;
import dev.fletcher.spi.warehouse.Statement;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.apache.arrow.memory.BufferAllocator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Runs grouped sums in the warehouse within its limits: the terms are split into as many statements as the
 * dialect's result-column, query-text and bind-parameter limits need, run concurrently on their own sessions,
 * and put back together by variant. The split changes nothing in the sums.
 */
final class StatisticsRunner {
    /** One variant's subject count and the sums of the terms asked for, in their order. */
    record GroupSums(long n, double[] sums) {
    }

    private final Warehouse warehouse;
    private final BufferAllocator allocator;
    private final ExecutorService executor;

    StatisticsRunner(Warehouse warehouse, BufferAllocator allocator, ExecutorService executor) {
        this.warehouse = warehouse;
        this.allocator = allocator;
        this.executor = executor;
    }

    Map<String, GroupSums> run(ExperimentSql sql, double[] shifts, List<String> variants, String treatment,
            List<ExperimentSql.Residual> residuals, List<ExperimentSql.Term> terms) {
        return run(false, sql, shifts, variants, treatment, residuals, terms, 1, null).getOrDefault(ALL, Map.of());
    }

    /**
     * The same sums per group ({@link ExperimentSql#groupedStatistics}) and variant. Group keys are the slice's
     * value as text (null for none) or the day's start as an {@link Instant}.
     *
     * @param maxGroups more groups than this is an {@link AnalysisException} saying {@code tooMany}, found before
     *                  all are read
     */
    Map<Object, Map<String, GroupSums>> runGrouped(ExperimentSql sql, double[] shifts, List<String> variants,
            String treatment, List<ExperimentSql.Residual> residuals, List<ExperimentSql.Term> terms, int maxGroups,
            String tooMany) {
        return run(true, sql, shifts, variants, treatment, residuals, terms, maxGroups, tooMany);
    }

    /** The key of the one group of ungrouped sums. */
    static final Object ALL = new Object();

    private Map<Object, Map<String, GroupSums>> run(boolean grouped, ExperimentSql sql, double[] shifts,
            List<String> variants, String treatment, List<ExperimentSql.Residual> residuals,
            List<ExperimentSql.Term> terms, int maxGroups, String tooMany) {
        Capabilities limits = warehouse.capabilities();
        int leading = grouped ? 3 : 2;
        int perStatement = limits.maxResultColumns() - leading;
        if (perStatement < 1) {
            throw new AnalysisException("warehouse '" + warehouse.instanceName() + "' allows " + limits.maxResultColumns()
                    + " result columns; an experiment analysis needs at least " + (leading + 1));
        }
        List<int[]> ranges = new ArrayList<>();
        for (int from = 0; from < terms.size(); from += perStatement) {
            split(grouped, sql, shifts, variants, treatment, residuals, terms, from,
                    Math.min(terms.size(), from + perStatement), limits, ranges);
        }
        if (terms.isEmpty()) {
            ranges.add(new int[] {0, 0});
        }
        List<CompletableFuture<Map<Object, Map<String, GroupSums>>>> parts = new ArrayList<>();
        for (int[] range : ranges) {
            Statement statement = statement(grouped, sql, shifts, variants, treatment, residuals,
                    terms.subList(range[0], range[1]));
            parts.add(CompletableFuture.supplyAsync(() -> fetch(grouped, statement, range[1] - range[0], maxGroups, tooMany),
                    executor));
        }
        Map<Object, Map<String, GroupSums>> merged = new LinkedHashMap<>();
        for (int p = 0; p < parts.size(); p++) {
            int offset = ranges.get(p)[0];
            Map<Object, Map<String, GroupSums>> part;
            try {
                part = parts.get(p).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw e;
            }
            part.forEach((group, byVariant) -> byVariant.forEach((variant, sums) -> {
                GroupSums into = merged.computeIfAbsent(group, g -> new LinkedHashMap<>()).computeIfAbsent(variant,
                        v -> new GroupSums(sums.n(), new double[terms.size()]));
                System.arraycopy(sums.sums(), 0, into.sums(), offset, sums.sums().length);
            }));
        }
        return merged;
    }

    private static Statement statement(boolean grouped, ExperimentSql sql, double[] shifts, List<String> variants,
            String treatment, List<ExperimentSql.Residual> residuals, List<ExperimentSql.Term> terms) {
        return grouped ? sql.groupedStatistics(shifts, variants, treatment, residuals, terms)
                : sql.statistics(shifts, variants, treatment, residuals, terms);
    }

    /** Whether the terms fit one statement of this warehouse. */
    boolean fitsOne(ExperimentSql sql, double[] shifts, List<ExperimentSql.Term> terms) {
        Capabilities limits = warehouse.capabilities();
        if (terms.size() + 2 > limits.maxResultColumns()) {
            return false;
        }
        Statement statement = sql.statistics(shifts, null, null, List.of(), terms);
        return statement.sql().getBytes(StandardCharsets.UTF_8).length <= limits.maxQueryTextBytes()
                && statement.parameters().size() <= limits.maxBindParameters();
    }

    /** Halves [from, to) until each part's statement fits the text and parameter limits. */
    private void split(boolean grouped, ExperimentSql sql, double[] shifts, List<String> variants, String treatment,
            List<ExperimentSql.Residual> residuals, List<ExperimentSql.Term> terms, int from, int to,
            Capabilities limits, List<int[]> ranges) {
        Statement statement = statement(grouped, sql, shifts, variants, treatment, residuals, terms.subList(from, to));
        boolean fits = statement.sql().getBytes(StandardCharsets.UTF_8).length <= limits.maxQueryTextBytes()
                && statement.parameters().size() <= limits.maxBindParameters();
        if (fits) {
            ranges.add(new int[] {from, to});
        } else if (to - from == 1) {
            throw new AnalysisException("the statistics query of an experiment does not fit warehouse '"
                    + warehouse.instanceName() + "' even for one sum (" + statement.sql().length() + " characters, "
                    + statement.parameters().size() + " parameters; limits " + limits.maxQueryTextBytes() + " and "
                    + limits.maxBindParameters() + "): analyse fewer metrics or covariates at once");
        } else {
            int mid = (from + to) >>> 1;
            split(grouped, sql, shifts, variants, treatment, residuals, terms, from, mid, limits, ranges);
            split(grouped, sql, shifts, variants, treatment, residuals, terms, mid, to, limits, ranges);
        }
    }

    private Map<Object, Map<String, GroupSums>> fetch(boolean grouped, Statement statement, int terms, int maxGroups,
            String tooMany) {
        Map<Object, Map<String, GroupSums>> out = new LinkedHashMap<>();
        int first = grouped ? 1 : 0;
        try (WarehouseSession session = warehouse.openSession();
                ArrowReader reader = session.query(statement, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                List<FieldVector> vectors = root.getFieldVectors();
                for (int row = 0; row < root.getRowCount(); row++) {
                    Object group = grouped ? group(vectors.get(0), row) : ALL;
                    Object variant = vectors.get(first).getObject(row);
                    double[] sums = new double[terms];
                    for (int t = 0; t < terms; t++) {
                        Object value = vectors.get(t + first + 2).getObject(row);
                        sums[t] = value == null ? 0 : ((Number) value).doubleValue();
                    }
                    Map<String, GroupSums> byVariant = out.get(group);
                    if (byVariant == null) {
                        if (out.size() >= maxGroups) {
                            throw new AnalysisException(tooMany);
                        }
                        byVariant = new LinkedHashMap<>();
                        out.put(group, byVariant);
                    }
                    byVariant.put(String.valueOf(variant),
                            new GroupSums(((Number) vectors.get(first + 1).getObject(row)).longValue(), sums));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A group key: a day's start as an instant, anything else as text; null stays null. */
    private static Object group(FieldVector vector, int row) {
        if (vector.isNull(row)) {
            return null;
        }
        if (vector instanceof TimeStampVector time) {
            long value = time.get(row);
            TimeUnit unit = ((ArrowType.Timestamp) vector.getField().getType()).getUnit();
            return switch (unit) {
                case SECOND -> Instant.ofEpochSecond(value);
                case MILLISECOND -> Instant.ofEpochMilli(value);
                case MICROSECOND -> Instant.EPOCH.plus(value, ChronoUnit.MICROS);
                case NANOSECOND -> Instant.EPOCH.plusNanos(value);
            };
        }
        return String.valueOf(vector.getObject(row));
    }

    /** The columns a statement would return, as the warehouse describes them. */
    List<Column> describe(Statement statement) {
        try (WarehouseSession session = warehouse.openSession()) {
            return ArrowColumns.of(session.describe(statement, allocator));
        }
    }

    long scalar(Statement statement) {
        try (WarehouseSession session = warehouse.openSession();
                ArrowReader reader = session.query(statement, allocator)) {
            long value = 0;
            while (reader.loadNextBatch()) {
                if (reader.getVectorSchemaRoot().getRowCount() > 0) {
                    Object v = reader.getVectorSchemaRoot().getVector(0).getObject(0);
                    value = v == null ? 0 : ((Number) v).longValue();
                }
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a statement that returns no rows, on a session of its own. */
    void execute(Statement statement) {
        try (WarehouseSession session = warehouse.openSession()) {
            session.execute(statement);
        }
    }

    void dropTable(String table) {
        try (WarehouseSession session = warehouse.openSession()) {
            session.dropTable(table);
        }
    }

    Warehouse warehouse() {
        return warehouse;
    }

    BufferAllocator allocator() {
        return allocator;
    }
}
