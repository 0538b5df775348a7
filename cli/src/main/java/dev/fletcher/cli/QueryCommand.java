package dev.fletcher.cli;

import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.sdk.MetricQuery;
import dev.fletcher.sdk.MetricQueryResult;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query", description = {"Queries metrics (POST /api/v1/metrics/query), e.g.",
        "  fletcher query revenue,orders --grain week --by country --from 2026-02-02 --to 2026-02-16"
                + " --where 'country in DE,FR'"})
final class QueryCommand extends ServerCommand {
    private static final Pattern WHERE = Pattern.compile(
            "^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(not\\s+in|in|is\\s+not\\s+null|is\\s+null|!=|<=|>=|=|<|>)\\s*(.*)$",
            Pattern.CASE_INSENSITIVE);

    @Parameters(paramLabel = "METRICS", split = ",", arity = "1..*", description = "Metric names, comma-separated.")
    List<String> metrics;

    @Option(names = "--by", split = ",", paramLabel = "DIMENSION", description = "Group keys, e.g. country or"
            + " metric_time__day.")
    List<String> by = new ArrayList<>();

    @Option(names = "--grain", paramLabel = "GRAIN", description = "Group by time too: hour, day, week, month,"
            + " quarter or year (adds metric_time__<grain> first).")
    String grain;

    @Option(names = "--from", paramLabel = "TIME", description = "Event times from this one (a date is midnight UTC).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Event times before this one.")
    String to;

    @Option(names = "--where", paramLabel = "FILTER", description = "A filter such as 'country = DE',"
            + " 'country in DE,FR', 'orders >= 2' or 'plan is null'; repeat for more (all must hold).")
    List<String> where = new ArrayList<>();

    @Option(names = "--order-by", split = ",", paramLabel = "COLUMN", description = "Sort columns; -revenue sorts"
            + " descending.")
    List<String> orderBy = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", description = "At most this many rows.")
    Long limit;

    @Option(names = "--fill", description = "Show every time bucket in the range, also those without rows.")
    boolean fill;

    @Option(names = "--sql", description = "Also print the SQL the warehouse ran.")
    boolean sql;

    @Override
    public Integer call() {
        List<String> groupBy = new ArrayList<>();
        if (grain != null) {
            groupBy.add("metric_time__" + grain);
        }
        groupBy.addAll(by);
        List<MetricQuery.Filter> filters = where.stream().map(QueryCommand::filter).toList();
        MetricQuery query = new MetricQuery(metrics, groupBy, filters, time(from, "--from"), time(to, "--to"), fill,
                orderBy, limit);
        PrintWriter out = spec.commandLine().getOut();
        try (FletcherClient fletcher = remote.connect(root)) {
            MetricQueryResult result = fletcher.queryMetrics(query);
            if (output.json()) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("columns", result.columns());
                answer.put("rows", result.rows());
                answer.put("sql", result.sql());
                Output.printJson(out, answer);
                return 0;
            }
            List<List<?>> rows = new ArrayList<>(result.rows());
            Output.printTable(out, result.columns(), rows);
            if (sql) {
                out.println();
                out.println(result.sql());
            }
        }
        return 0;
    }

    static MetricQuery.Filter filter(String text) {
        Matcher m = WHERE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("--where '" + text + "' is not a filter: write <dimension> <op>"
                    + " <value>, with op one of = != < <= > >= in, not in, is null, is not null");
        }
        String op = m.group(2).toLowerCase().replaceAll("\\s+", "_");
        String rest = m.group(3).trim();
        List<Object> values = switch (op) {
            case "is_null", "is_not_null" -> List.of();
            case "in", "not_in" -> new ArrayList<>(Arrays.stream(rest.split(",")).map(String::trim)
                    .filter(v -> !v.isEmpty()).map(QueryCommand::value).toList());
            default -> List.of(value(rest));
        };
        if ((op.equals("is_null") || op.equals("is_not_null")) && !rest.isEmpty()) {
            throw new IllegalArgumentException("--where '" + text + "': " + op.replace('_', ' ') + " takes no value");
        }
        return new MetricQuery.Filter(m.group(1), op, values);
    }

    /** A number stays a number (the server compares numeric dimensions numerically); quotes keep text as text. */
    private static Object value(String text) {
        if (text.length() >= 2 && (text.startsWith("'") && text.endsWith("'")
                || text.startsWith("\"") && text.endsWith("\""))) {
            return text.substring(1, text.length() - 1);
        }
        try {
            return text.contains(".") ? (Object) Double.parseDouble(text) : (Object) Long.parseLong(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    static Instant time(String text, String option) {
        if (text == null) {
            return null;
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return java.time.OffsetDateTime.parse(text).toInstant();
            }
            return java.time.LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a time: write 2026-02-01 or"
                    + " 2026-02-01T12:00:00Z");
        }
    }
}
