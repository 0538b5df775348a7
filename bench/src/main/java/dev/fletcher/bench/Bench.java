package dev.fletcher.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.ipc.ArrowReader;

/** What the benchmark programs share: their command lines, timed runs and medians. */
final class Bench {
    private Bench() {
    }

    /** One timed body that answers how many rows it read. */
    @FunctionalInterface
    interface Run {
        long rows() throws Exception;
    }

    /** {@code --name value} pairs; the names in {@code flags} take no value and read as "true". */
    static Map<String, String> options(String[] args, Set<String> flags) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            if (flags.contains(name)) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return options;
    }

    static long longOption(Map<String, String> options, String name, long fallback) {
        String value = options.get(name);
        return value == null ? fallback : Long.parseLong(value.replace("_", ""));
    }

    static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** Runs the body once, prints its time and rows, and answers the seconds. */
    static double timeOnce(String name, int i, Run run) throws Exception {
        long started = System.nanoTime();
        long rows = run.rows();
        double s = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%s run %d: %.2f s, %d rows%n", name, i + 1, s, rows);
        return s;
    }

    /** Reads every batch and counts the rows. */
    static long count(ArrowReader reader) throws Exception {
        long rows = 0;
        while (reader.loadNextBatch()) {
            rows += reader.getVectorSchemaRoot().getRowCount();
        }
        return rows;
    }

    /** GetFlightInfo, then DoGet of every endpoint, reading every batch; answers the rows. */
    static long readAll(FlightClient client, FlightDescriptor descriptor) throws Exception {
        FlightInfo info = client.getInfo(descriptor);
        long rows = 0;
        for (FlightEndpoint endpoint : info.getEndpoints()) {
            try (FlightStream stream = client.getStream(endpoint.getTicket())) {
                while (stream.next()) {
                    rows += stream.getRoot().getRowCount();
                }
            }
        }
        return rows;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }
}
