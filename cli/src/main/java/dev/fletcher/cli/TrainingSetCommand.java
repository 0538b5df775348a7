package dev.fletcher.cli;

import dev.fletcher.sdk.FletcherClient;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "training-set", description = {"Writes a point-in-time training set to a file, streamed over Arrow"
        + " Flight: every entity row with each feature's value as it was at the row's time.",
        "  fletcher training-set -f referrer_conversion:conversion_rate_3h --entity-sql 'select referrer,"
                + " created_at as event_timestamp from leads' --file leads.parquet",
        "Formats: parquet, arrow (Arrow IPC file: pyarrow.ipc.open_file, pandas.read_feather) and csv."})
final class TrainingSetCommand implements Callable<Integer> {
    enum Format { parquet, arrow, csv }

    @ParentCommand
    Fletcher root;
    @Spec
    CommandSpec spec;
    @Mixin
    Remote remote;
    @Mixin
    Progress progress;

    @Option(names = {"--feature", "-f"}, required = true, split = ",", paramLabel = "VIEW:FEATURE",
            description = "Features, as <feature_view>:<feature>; comma-separated or repeated.")
    List<String> features;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Entities entities;

    static final class Entities {
        @Option(names = "--entity-sql", paramLabel = "SQL", description = "A query the warehouse runs for the entity"
                + " rows (they never leave it): the entity keys and a time column.")
        String sql;

        @ArgGroup(exclusive = false)
        Range range;
    }

    static final class Range {
        @Option(names = "--start", required = true, paramLabel = "TIME", description = "Without entity rows: every"
                + " entity at each of its own event times from this one...")
        String start;

        @Option(names = "--end", required = true, paramLabel = "TIME", description = "...to before this one.")
        String end;
    }

    @Option(names = "--timestamp-column", paramLabel = "COLUMN", description = "The entity rows' time column"
            + " (default event_timestamp).")
    String timestampColumn;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "Where to write; replaced only"
            + " once the whole set has arrived.")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", description = "parquet, arrow or csv (default: from the"
            + " file's extension, .parquet, .arrow/.feather or .csv).")
    Format format;

    @Override
    public Integer call() throws IOException {
        Path target = root.workingDir.resolve(file);
        Format chosen = format != null ? format : formatOf(target);
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        long rows;
        progress.start(spec.commandLine().getErr());
        try (FletcherClient fletcher = remote.connect(root);
             CountingReader reader = new CountingReader(open(fletcher),
                     n -> progress.count(n + " rows  " + progress.elapsed()))) {
            Files.deleteIfExists(partial);
            switch (chosen) {
                case csv -> writeCsv(reader, partial);
                case arrow -> writeArrow(reader, partial);
                case parquet -> ParquetFiles.write(reader, partial);
            }
            rows = reader.count();
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        progress.finish(rows + " rows in " + progress.elapsed());
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote " + rows + " rows to " + target + " (" + chosen + ")");
        return 0;
    }

    private static void writeCsv(ArrowReader reader, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            VectorSchemaRoot batch = reader.getVectorSchemaRoot();
            writeHeader(text, batch);
            while (reader.loadNextBatch()) {
                writeRows(text, batch);
            }
        }
    }

    private static void writeArrow(ArrowReader reader, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             ArrowFileWriter writer = new ArrowFileWriter(reader.getVectorSchemaRoot(), null,
                     Channels.newChannel(out))) {
            writer.start();
            while (reader.loadNextBatch()) {
                writer.writeBatch();
            }
            writer.end();
        }
    }

    private ArrowReader open(FletcherClient fletcher) {
        if (entities.sql != null) {
            return fletcher.trainingSet(features, entities.sql, timestampColumn);
        }
        Instant start = QueryCommand.time(entities.range.start, "--start");
        Instant end = QueryCommand.time(entities.range.end, "--end");
        return fletcher.trainingSet(features, start, end, timestampColumn);
    }

    static Format formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Format.csv;
        }
        if (name.endsWith(".arrow") || name.endsWith(".arrows") || name.endsWith(".feather")
                || name.endsWith(".ipc")) {
            return Format.arrow;
        }
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return Format.parquet;
        }
        throw new IllegalArgumentException("cannot tell the format of " + file.getFileName() + ": name it .parquet, .arrow"
                + " or .csv, or add --format parquet|arrow|csv");
    }

    private static void writeHeader(Writer out, VectorSchemaRoot batch) throws IOException {
        List<String> names = new ArrayList<>();
        for (FieldVector vector : batch.getFieldVectors()) {
            names.add(csv(vector.getName()));
        }
        out.write(String.join(",", names));
        out.write('\n');
    }

    private static void writeRows(Writer out, VectorSchemaRoot batch) throws IOException {
        List<FieldVector> vectors = batch.getFieldVectors();
        for (int row = 0; row < batch.getRowCount(); row++) {
            for (int c = 0; c < vectors.size(); c++) {
                if (c > 0) {
                    out.write(',');
                }
                out.write(csv(value(vectors.get(c), row)));
            }
            out.write('\n');
        }
    }

    /** Times in ISO-8601 UTC, as the REST API's CSV writes them; everything else as Arrow prints it. */
    private static String value(FieldVector vector, int row) {
        if (vector.isNull(row)) {
            return "";
        }
        if (vector instanceof TimeStampVector times
                && vector.getField().getType() instanceof ArrowType.Timestamp type) {
            long raw = times.get(row);
            Instant instant = switch (type.getUnit()) {
                case SECOND -> Instant.ofEpochSecond(raw);
                case MILLISECOND -> Instant.ofEpochMilli(raw);
                case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000L),
                        TimeUnit.MICROSECONDS.toNanos(Math.floorMod(raw, 1_000_000L)));
                case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000_000L),
                        Math.floorMod(raw, 1_000_000_000L));
            };
            return type.getTimezone() == null ? instant.toString().replace("Z", "") : instant.toString();
        }
        Object value = vector.getObject(row);
        return value == null ? "" : value.toString();
    }

    private static String csv(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
