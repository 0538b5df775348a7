package dev.fletcher.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightDescriptor;

/**
 * The benchmark's data set in a DuckDB file: {@code entities} (customer_id, event_timestamp, label) and one source
 * {@code src_<i>} per feature view, each view holding a latest-value feature with a ttl and four windowed ones.
 * Values come from hashes of the row number, so the same parameters give the same file.
 */
record BenchData(long entities, int views, long sourceRows, long keys) {
    static final String TIMESTAMP_COLUMN = "event_timestamp";
    private static final int SOURCE_DAYS = 90;
    private static final int ENTITY_DAYS = 76;

    /** Creates the tables unless the file already holds this very data set. */
    void ensure(Path file) throws SQLException, java.io.IOException {
        if (Files.exists(file) && matches(file)) {
            System.out.println("data: reusing " + file);
            return;
        }
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + ".wal"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement()) {
            for (int v = 0; v < views; v++) {
                statement.execute("CREATE TABLE src_" + v + " AS SELECT\n"
                        + "  'c' || lpad(CAST(hash(r, " + v + ") % " + keys + " AS VARCHAR), 8, '0') AS customer_id,\n"
                        + "  TIMESTAMP '2025-01-01' + to_seconds(CAST(hash(r * 7 + 1, " + v + ") % "
                        + (SOURCE_DAYS * 86400L) + " AS BIGINT)) AS event_at,\n"
                        + "  event_at + to_seconds(CAST(hash(r * 13 + 5, " + v + ") % 7200 AS BIGINT)) AS created_at,\n"
                        + "  round(CAST(hash(r * 31 + 3, " + v + ") % 100000 AS DOUBLE) / 100, 2) AS amount\n"
                        + "FROM range(" + sourceRows + ") AS t(r)");
            }
            statement.execute("CREATE TABLE entities AS SELECT\n"
                    + "  'c' || lpad(CAST(hash(r, -1) % " + keys + " AS VARCHAR), 8, '0') AS customer_id,\n"
                    + "  TIMESTAMP '2025-01-15' + to_seconds(CAST(hash(r * 11 + 9, -1) % " + (ENTITY_DAYS * 86400L)
                    + " AS BIGINT)) AS " + TIMESTAMP_COLUMN + ",\n"
                    + "  CAST(r % 2 AS INTEGER) AS label\n"
                    + "FROM range(" + entities + ") AS t(r)");
            statement.execute("CREATE TABLE bench_meta AS SELECT '" + signature() + "' AS signature");
            statement.execute("CHECKPOINT");
        }
        System.out.printf("data: generated %s in %.1f s%n", file, (System.nanoTime() - started) / 1e9);
    }

    private boolean matches(Path file) {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT signature FROM bench_meta")) {
            return rows.next() && rows.getString(1).equals(signature());
        } catch (SQLException e) {
            return false;
        }
    }

    private String signature() {
        return "v1 entities=" + entities + " views=" + views + " source_rows=" + sourceRows + " keys=" + keys;
    }

    String catalogYaml() {
        StringBuilder yaml = new StringBuilder("kind: entity\nname: customer\nkeys: [customer_id]\n");
        for (int v = 0; v < views; v++) {
            yaml.append("---\nkind: source\nname: src_").append(v).append("\nwarehouse: default\ntable: src_").append(v)
                    .append("\ntimestamp: event_at\ncreated_timestamp: created_at\n")
                    .append("entity_columns: {customer: customer_id}\n");
            yaml.append("---\nkind: feature_view\nname: view_").append(v).append("\nentity: customer\nsource: src_")
                    .append(v).append("\nttl: 30d\nfeatures:\n")
                    .append("  - {name: last_amount, column: amount}\n")
                    .append("  - {name: amount_sum_1d, column: amount, aggregation: sum, window: 1d}\n")
                    .append("  - {name: txn_count_1d, aggregation: count, window: 1d}\n")
                    .append("  - {name: amount_avg_7d, column: amount, aggregation: avg, window: 7d}\n")
                    .append("  - {name: amount_max_7d, column: amount, aggregation: max, window: 7d}\n");
        }
        return yaml.toString();
    }

    List<String> features() {
        List<String> features = new ArrayList<>();
        for (int v = 0; v < views; v++) {
            for (String f : List.of("last_amount", "amount_sum_1d", "txn_count_1d", "amount_avg_7d", "amount_max_7d")) {
                features.add("view_" + v + ":" + f);
            }
        }
        return features;
    }

    /** The Flight command of the training set with {@link #entitySql()} as its entity rows. */
    FlightDescriptor entitySqlCommand() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode command = json.createObjectNode();
        ObjectNode body = command.putObject("training_set");
        features().forEach(body.putArray("features")::add);
        body.put("entity_sql", entitySql());
        body.put("timestamp_column", TIMESTAMP_COLUMN);
        return FlightDescriptor.command(command.toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    static String entitySql() {
        return "select * from entities";
    }

    /**
     * The same training set as a DuckDB user would write it by hand: per view, rows deduplicated per (key, event
     * time) with newest created time first and an ASOF LEFT JOIN for the latest value; a range join grouped by entity
     * row for the windows; then every view joined back to the numbered entity rows.
     */
    String handWrittenSql() {
        StringBuilder sql = new StringBuilder("WITH e AS (SELECT *, row_number() OVER () AS rid FROM entities)");
        StringBuilder select = new StringBuilder("SELECT e.customer_id, e.event_timestamp, e.label");
        StringBuilder from = new StringBuilder("\nFROM e");
        for (int v = 0; v < views; v++) {
            String src = "src_" + v;
            sql.append(",\nl").append(v).append(" AS (SELECT e.rid, CASE WHEN d.event_at >= e.event_timestamp - INTERVAL 30 DAY")
                    .append(" THEN d.amount END AS last_amount FROM e ASOF LEFT JOIN (SELECT customer_id, event_at,")
                    .append(" amount FROM ").append(src).append(" QUALIFY row_number() OVER (PARTITION BY customer_id,")
                    .append(" event_at ORDER BY created_at DESC NULLS LAST, amount DESC NULLS LAST) = 1) AS d")
                    .append(" ON e.customer_id = d.customer_id AND e.event_timestamp >= d.event_at)");
            String day = "s.event_at > e.event_timestamp - INTERVAL 1 DAY";
            sql.append(",\nw").append(v).append(" AS (SELECT e.rid, sum(s.amount) FILTER (WHERE ").append(day)
                    .append(") AS amount_sum_1d, count(*) FILTER (WHERE ").append(day).append(") AS txn_count_1d,")
                    .append(" avg(s.amount) AS amount_avg_7d, max(s.amount) AS amount_max_7d FROM e JOIN ").append(src)
                    .append(" AS s ON s.customer_id = e.customer_id AND s.event_at > e.event_timestamp - INTERVAL 7 DAY")
                    .append(" AND s.event_at <= e.event_timestamp GROUP BY e.rid)");
            String p = "view_" + v + "__";
            select.append(",\n  l").append(v).append(".last_amount AS ").append(p).append("last_amount")
                    .append(", coalesce(w").append(v).append(".amount_sum_1d, 0) AS ").append(p).append("amount_sum_1d")
                    .append(", coalesce(w").append(v).append(".txn_count_1d, 0) AS ").append(p).append("txn_count_1d")
                    .append(", w").append(v).append(".amount_avg_7d AS ").append(p).append("amount_avg_7d")
                    .append(", w").append(v).append(".amount_max_7d AS ").append(p).append("amount_max_7d");
            from.append("\nLEFT JOIN l").append(v).append(" USING (rid)\nLEFT JOIN w").append(v).append(" USING (rid)");
        }
        return sql.append('\n').append(select).append(from).toString();
    }
}
