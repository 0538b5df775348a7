package dev.fletcher.server.flightsql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.engine.plan.MetricPlanner;
import dev.fletcher.engine.plan.MetricQuery;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Feeds the Flight SQL statement reader (and the metric planner after it) mutations of valid statements: each must
 * answer a query or a refusal the client is to blame for (a 4xx reason), never another failure. Runs for
 * {@code fletcher.fuzz.seconds} (3 by default); every case has its own seed, printed with a failure and kept under
 * {@code target/fuzz-failures}, and {@code -Dfletcher.fuzz.seed=<seed>} replays exactly that case.
 */
class MetricStatementFuzzTest {
    private static final List<String> VALID = List.of(
            "SELECT revenue, orders FROM metrics GROUP BY metric_time__week, country",
            "SELECT lead_conversion_rate FROM metrics WHERE metric_time >= '2026-02-10' AND metric_time < '2026-02-17'"
                    + " GROUP BY metric_time__day, referrer ORDER BY lead_conversion_rate DESC",
            "SELECT revenue FROM metrics WHERE country IN ('DE', 'FR') AND customer_profile__plan = 'pro'"
                    + " GROUP BY metric_time__month, customer_profile__plan",
            "SELECT prediction_accuracy FROM metrics WHERE model_version = 'v2'",
            "SELECT revenue, country FROM revenue WHERE country <> 'DE' AND channel IS NOT NULL LIMIT 10",
            "SELECT \"revenue\" FROM metrics WHERE metric_time >= TIMESTAMP '2026-03-01 00:00:00' ORDER BY revenue"
                    + " NULLS LAST FETCH NEXT 5 ROWS ONLY");
    private static final String[] TOKENS = {"'", "\"", "`", "(", ")", ",", ";", "--", "/*", "*/", "*", " AND ",
        " OR ", " NOT ", " IN (", " IS NULL", " = ", " <> ", " LIKE ", "SELECT ", " FROM ", " WHERE ", " GROUP BY ",
        " ORDER BY ", " LIMIT ", " OFFSET 1", " UNION SELECT 1", "'; DROP TABLE orders; --", "1e400", "-",
        "99999999999999999999999999", "0.0000000000000000000001", "TIMESTAMP '", "DATE '2026-13-45'", "\\u0027",
        "U&'\\0041'", "metric_time", "metric_time__", "__", "revenue", "country", "\0", "\n", "\u00e9", "\uD83D\uDE00",
        "CAST(1 AS INT)", "x AS y", "(SELECT 1)", "?", "$1", "{fn now()}", "CASE WHEN 1=1 THEN 1 END", "a".repeat(200)};

    private static Catalog catalog;

    @BeforeAll
    static void exampleCatalog() throws IOException {
        String yaml = Files.readString(Path.of("..", "examples", "catalog.yaml"));
        catalog = Catalog.of(BundleParser.parse("catalog.yaml", yaml).objects().stream().map(ParsedObject::object)
                .toList());
    }

    @Test
    void theValidStatementsArePlanned() {
        for (String statement : VALID) {
            MetricQuery query = MetricStatement.parse(statement, catalog);
            assertThat(MetricPlanner.resolve(catalog, query)).as(statement).isNotNull();
        }
    }

    @Test
    void hostileStatementsAreRefusedAsTheClientsFault() {
        for (String statement : List.of(
                "SELECT revenue FROM metrics WHERE country = 1" + "0".repeat(30),
                "SELECT revenue FROM metrics WHERE orders > 1e999",
                "SELECT revenue FROM metrics LIMIT 99999999999999999999999",
                "SELECT revenue FROM metrics LIMIT -1",
                "SELECT revenue FROM metrics WHERE " + "(".repeat(5000) + "country = 'DE'" + ")".repeat(5000),
                "SELECT revenue FROM metrics WHERE country = '" + "x".repeat(MetricStatement.MAX_CHARS) + "'",
                "SELECT revenue FROM metrics; DROP TABLE orders",
                "SELECT revenue FROM metrics UNION SELECT password FROM users")) {
            assertThatThrownBy(() -> MetricPlanner.resolve(catalog, MetricStatement.parse(statement, catalog)))
                    .as(statement.substring(0, Math.min(120, statement.length())))
                    .satisfies(e -> assertThat(Reason.of(e).status()).isBetween(400, 499));
        }
        assertThatThrownBy(() -> MetricStatement.parse("SELECT revenue FROM metrics; DROP TABLE orders", catalog))
                .isInstanceOf(RequestException.class).hasMessageContaining("does not parse");
    }

    @Test
    void mutatedStatementsAnswerAQueryOrTheClientsError() {
        String replay = System.getProperty("fletcher.fuzz.seed");
        if (replay != null && !replay.isBlank()) {
            check(Long.parseLong(replay.trim()));
            return;
        }
        long seconds = Long.getLong("fletcher.fuzz.seconds", 3);
        long base = new Random().nextLong();
        System.out.printf("MetricStatementFuzzTest: base seed %d for %d s (replay a case with -Dfletcher.fuzz.seed)%n",
                base, seconds);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        int cases = 0;
        while (System.nanoTime() < deadline) {
            check(base + cases++);
        }
        System.out.printf("MetricStatementFuzzTest: %d cases%n", cases);
    }

    private static void check(long seed) {
        Random random = new Random(seed);
        String statement = mutate(VALID.get(random.nextInt(VALID.size())), random);
        try {
            MetricPlanner.resolve(catalog, MetricStatement.parse(statement, catalog));
        } catch (Throwable e) {
            if (e instanceof RuntimeException && !Reason.of(e).serverSide()) {
                return;
            }
            Path kept = keep(seed, statement, e);
            fail("seed " + seed + ": " + e + " (statement in " + kept + "; replay with -Dfletcher.fuzz.seed=" + seed
                    + ")", e);
        }
    }

    private static String mutate(String text, Random random) {
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + random.nextInt(6);
        for (int i = 0; i < edits; i++) {
            int at = out.isEmpty() ? 0 : random.nextInt(out.length());
            switch (random.nextInt(5)) {
                case 0, 1 -> out.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 2 -> out.delete(at, Math.min(out.length(), at + 1 + random.nextInt(12)));
                case 3 -> out.setCharAt(Math.min(at, Math.max(0, out.length() - 1)), (char) (32 + random.nextInt(95)));
                default -> {
                    // a word of one statement moved into another place
                    String[] words = VALID.get(random.nextInt(VALID.size())).split(" ");
                    out.insert(at, " " + words[random.nextInt(words.length)] + " ");
                }
            }
        }
        return out.toString();
    }

    private static Path keep(long seed, String statement, Throwable e) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            Files.writeString(dir.resolve("statement-" + seed + ".sql"), statement, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("statement-" + seed + ".txt"), trace.toString(), StandardCharsets.UTF_8);
            return dir.resolve("statement-" + seed + ".sql");
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
    }
}
