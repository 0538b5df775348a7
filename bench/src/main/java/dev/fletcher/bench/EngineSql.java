package dev.fletcher.bench;

/**
 * The benchmark's data set and its hand-written training-set query, in one engine's SQL. The data has the shape
 * of {@link BenchData}'s (keys, times, amounts from hashes of the row number), generated where it is queried.
 * The hand-written query is what a user of that engine would write without ASOF JOIN: per view, rows deduplicated
 * per (key, event time) with the newest created time first, then the latest row at or before each entity row's
 * time found by one window over entity and source rows together; windowed aggregates by a range join grouped by
 * entity row; every view joined back to the numbered entity rows.
 */
abstract class EngineSql {
    static final long SOURCE_SECONDS = 90 * 86_400L;
    static final long ENTITY_SECONDS = 76 * 86_400L;
    /** Separates the hash streams of different views. */
    static final long VIEW_SALT = 1_000_000_007L;

    static EngineSql of(String engine) {
        return switch (engine) {
            case "trino" -> new Trino();
            case "spark" -> new Spark();
            default -> throw new IllegalArgumentException("no benchmark SQL for engine '" + engine + "': use trino or spark");
        };
    }

    /** A non-negative 63-bit hash of a bigint expression. */
    abstract String hash(String expression);

    /** Row numbers 0..n-1 as column {@code r}. */
    abstract String rows(long n);

    /** The timestamp {@code seconds} after 1970-01-01 UTC, as a microsecond timestamp. */
    abstract String timestampFromEpoch(String seconds);

    abstract String epochSeconds(String timestamp);

    abstract String createTableAs(String table, String query);

    /** The text type of a CAST. */
    abstract String text();

    /** An entity-row number for every entity row. */
    abstract String rowId();

    /** A row of the latest source event time and amount, for the window that carries it forward. */
    abstract String eventRow(String eventAt, String amount);

    abstract String nullEventRow();

    String createSource(int v, BenchData data) {
        long salt = v * VIEW_SALT;
        String inner = "SELECT 'c' || lpad(CAST(" + hash("r * 3 + " + salt) + " % " + data.keys() + " AS " + text()
                + "), 8, '0') AS customer_id, " + timestampFromEpoch("1735689600 + " + hash("r * 7 + 1 + " + salt) + " % "
                + SOURCE_SECONDS) + " AS event_at, " + hash("r * 13 + 5 + " + salt) + " % 7200 AS delay, "
                + "round(CAST(" + hash("r * 31 + 3 + " + salt) + " % 100000 AS DOUBLE) / 100, 2) AS amount FROM "
                + rows(data.sourceRows());
        return createTableAs("src_" + v, "SELECT customer_id, event_at, " + timestampFromEpoch(epochSeconds("event_at")
                + " + delay") + " AS created_at, amount FROM (" + inner + ") AS g");
    }

    String createEntities(BenchData data) {
        return createTableAs("entities", "SELECT 'c' || lpad(CAST(" + hash("r * 3 - 1") + " % " + data.keys()
                + " AS " + text() + "), 8, '0') AS customer_id, " + timestampFromEpoch("1736899200 + " + hash("r * 11 + 9")
                + " % " + ENTITY_SECONDS) + " AS event_timestamp, CAST(r % 2 AS INTEGER) AS label FROM "
                + rows(data.entities()));
    }

    String createMeta(String signature) {
        return createTableAs("bench_meta", "SELECT '" + signature + "' AS signature");
    }

    String handWritten(BenchData data) {
        StringBuilder sql = new StringBuilder("WITH e AS (SELECT customer_id, event_timestamp, label, " + rowId()
                + " AS rid FROM entities)");
        StringBuilder select = new StringBuilder("SELECT e.customer_id, e.event_timestamp, e.label");
        StringBuilder from = new StringBuilder("\nFROM e");
        for (int v = 0; v < data.views(); v++) {
            String src = "src_" + v;
            sql.append(",\nd").append(v).append(" AS (SELECT customer_id, event_at, amount FROM (SELECT customer_id,")
                    .append(" event_at, amount, row_number() OVER (PARTITION BY customer_id, event_at ORDER BY")
                    .append(" created_at DESC NULLS LAST, amount DESC NULLS LAST) AS rn FROM ").append(src)
                    .append(") AS t WHERE rn = 1)");
            sql.append(",\nl").append(v).append(" AS (SELECT rid, CASE WHEN m.event_at >= event_timestamp - INTERVAL '30' DAY")
                    .append(" THEN m.amount END AS last_amount FROM (SELECT rid, event_timestamp, side, last_value(CASE")
                    .append(" WHEN side = 0 THEN ").append(eventRow("event_at", "amount")).append(" END) IGNORE NULLS")
                    .append(" OVER (PARTITION BY customer_id ORDER BY t, side ROWS UNBOUNDED PRECEDING) AS m FROM (")
                    .append("SELECT customer_id, event_at AS t, 0 AS side, event_at, amount, CAST(NULL AS BIGINT) AS rid,")
                    .append(" CAST(NULL AS TIMESTAMP) AS event_timestamp FROM d").append(v)
                    .append(" UNION ALL SELECT customer_id, event_timestamp, 1, ").append(nullEventRow())
                    .append(", rid, event_timestamp FROM e) AS u) AS x WHERE side = 1)");
            String day = "s.event_at > e.event_timestamp - INTERVAL '1' DAY";
            sql.append(",\nw").append(v).append(" AS (SELECT e.rid, sum(CASE WHEN ").append(day)
                    .append(" THEN s.amount END) AS amount_sum_1d, count_if(").append(day).append(") AS txn_count_1d,")
                    .append(" avg(s.amount) AS amount_avg_7d, max(s.amount) AS amount_max_7d FROM e JOIN ").append(src)
                    .append(" AS s ON s.customer_id = e.customer_id AND s.event_at > e.event_timestamp - INTERVAL '7' DAY")
                    .append(" AND s.event_at <= e.event_timestamp GROUP BY e.rid)");
            String p = "view_" + v + "__";
            select.append(",\n  l").append(v).append(".last_amount AS ").append(p).append("last_amount")
                    .append(", coalesce(w").append(v).append(".amount_sum_1d, 0) AS ").append(p).append("amount_sum_1d")
                    .append(", coalesce(w").append(v).append(".txn_count_1d, 0) AS ").append(p).append("txn_count_1d")
                    .append(", w").append(v).append(".amount_avg_7d AS ").append(p).append("amount_avg_7d")
                    .append(", w").append(v).append(".amount_max_7d AS ").append(p).append("amount_max_7d");
            from.append("\nLEFT JOIN l").append(v).append(" ON l").append(v).append(".rid = e.rid")
                    .append("\nLEFT JOIN w").append(v).append(" ON w").append(v).append(".rid = e.rid");
        }
        return sql.append('\n').append(select).append(from).toString();
    }

    /** Trino: tables in the connection's catalog and schema (the memory connector, sized for the data). */
    static final class Trino extends EngineSql {
        @Override
        String hash(String expression) {
            return "bitwise_and(from_big_endian_64(xxhash64(to_big_endian_64(CAST(" + expression
                    + " AS BIGINT)))), 9223372036854775807)";
        }

        /** sequence() holds at most 10,000 values, so rows come from two of them crossed. */
        @Override
        String rows(long n) {
            long outer = (n + 9_999) / 10_000;
            return "(SELECT x * 10000 + y AS r FROM UNNEST(sequence(0, " + (outer - 1) + ")) AS a(x) CROSS JOIN"
                    + " UNNEST(sequence(0, 9999)) AS b(y) WHERE x * 10000 + y < " + n + ") AS n";
        }

        @Override
        String timestampFromEpoch(String seconds) {
            return "CAST(from_unixtime(" + seconds + ", 'UTC') AS TIMESTAMP(6))";
        }

        @Override
        String epochSeconds(String timestamp) {
            return "CAST(to_unixtime(with_timezone(" + timestamp + ", 'UTC')) AS BIGINT)";
        }

        @Override
        String createTableAs(String table, String query) {
            return "CREATE TABLE " + table + " AS " + query;
        }

        @Override
        String rowId() {
            return "row_number() OVER ()";
        }

        @Override
        String text() {
            return "VARCHAR";
        }

        @Override
        String eventRow(String eventAt, String amount) {
            return "CAST(ROW(" + eventAt + ", " + amount + ") AS ROW(event_at TIMESTAMP(6), amount DOUBLE))";
        }

        @Override
        String nullEventRow() {
            return "CAST(NULL AS TIMESTAMP(6)), CAST(NULL AS DOUBLE)";
        }
    }

    /** Spark SQL: Parquet tables in the session's current database. */
    static final class Spark extends EngineSql {
        @Override
        String hash(String expression) {
            return "(xxhash64(CAST(" + expression + " AS BIGINT)) & 9223372036854775807)";
        }

        @Override
        String rows(long n) {
            return "(SELECT id AS r FROM range(" + n + ")) AS n";
        }

        @Override
        String timestampFromEpoch(String seconds) {
            return "timestamp_seconds(" + seconds + ")";
        }

        @Override
        String epochSeconds(String timestamp) {
            return "unix_seconds(" + timestamp + ")";
        }

        @Override
        String createTableAs(String table, String query) {
            return "CREATE TABLE " + table + " USING parquet AS " + query;
        }

        /** Spark numbers rows only in an ordered window; a unique id is all the join back needs. */
        @Override
        String rowId() {
            return "monotonically_increasing_id()";
        }

        @Override
        String text() {
            return "STRING";
        }

        @Override
        String eventRow(String eventAt, String amount) {
            return "named_struct('event_at', " + eventAt + ", 'amount', " + amount + ")";
        }

        @Override
        String nullEventRow() {
            return "CAST(NULL AS TIMESTAMP), CAST(NULL AS DOUBLE)";
        }
    }
}
