package dev.fletcher.conformance.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.catalog.model.FeatureRef;
import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.ColumnKind;
import dev.fletcher.engine.plan.EntityInput;
import dev.fletcher.engine.plan.ResolvedTrainingSet;
import dev.fletcher.engine.plan.TrainingSetPlan;
import dev.fletcher.engine.plan.TrainingSetPlanner;
import dev.fletcher.engine.plan.TrainingSetRequest;
import dev.fletcher.spi.NotSupportedException;
import dev.fletcher.engine.sql.TrainingSetSql;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Statement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SQL the engine renders for a dialect, held in golden files side by side
 * ({@code golden/<case>.<dialect>.sql} in this package's resources) so a reviewer sees each warehouse's shape and
 * any change to it. Correctness is the business of {@link TrainingSetConformanceTest}; this pins the shape. To
 * rewrite the goldens after an intended change, run with {@code -Dfletcher.golden.dir=<that resources folder>}.
 */
public abstract class EngineSqlGoldenTest {
    private static final String CATALOG = """
            kind: entity
            name: customer
            keys: [customer_id]
            ---
            kind: source
            name: profiles
            table: profiles
            timestamp: updated_at
            created_timestamp: loaded_at
            entity_columns: {customer: customer_id}
            ---
            kind: source
            name: txns
            sql: "select * from raw_txns where amount is not null"
            timestamp: txn_at
            entity_columns: {customer: customer_id}
            ---
            kind: feature_view
            name: customer_profile
            entity: customer
            source: profiles
            ttl: 30d
            features:
              - {name: plan, column: plan}
              - {name: credit_limit, column: credit_limit}
            ---
            kind: feature_view
            name: customer_txn
            entity: customer
            source: txns
            features:
              - {name: amount_sum_1h, column: amount, aggregation: sum, window: 1h}
              - {name: txn_count_1d, aggregation: count, window: 1d}
              - {name: amount_avg_7d, column: amount, aggregation: avg, window: 7d}
              - {name: amount_max_7d, column: amount, aggregation: max, window: 7d}
              - {name: big_last_7d, column: amount, aggregation: last, window: 7d, filter: "amount > 100"}
              - {name: amount_p90_7d, column: amount, aggregation: approx_percentile, percentile: 0.9, window: 7d}
              - {name: big_share_7d, expr: "amount_max_7d / nullif(amount_avg_7d, 0)"}
            """;

    private static final List<Column> PROFILE_COLUMNS = List.of(new Column("customer_id", ColumnKind.STRING),
            new Column("updated_at", ColumnKind.TIMESTAMP), new Column("loaded_at", ColumnKind.TIMESTAMP),
            new Column("plan", ColumnKind.STRING), new Column("credit_limit", ColumnKind.INTEGER));
    private static final List<Column> TXN_COLUMNS = List.of(new Column("customer_id", ColumnKind.STRING),
            new Column("txn_at", ColumnKind.TIMESTAMP), new Column("amount", ColumnKind.FLOATING));
    private static final List<Column> ENTITY_COLUMNS = List.of(new Column("customer_id", ColumnKind.STRING),
            new Column("event_timestamp", ColumnKind.TIMESTAMP), new Column("label", ColumnKind.INTEGER));

    /** The warehouse's dialect; the golden files are named after it. */
    protected abstract Dialect dialect();

    private Statement render(List<String> features, EntityInput input, boolean asKnown) {
        Catalog catalog = Catalog.of(BundleParser.parse("golden.yaml", CATALOG).objects().stream()
                .map(ParsedObject::object).toList());
        TrainingSetRequest request = new TrainingSetRequest(features.stream().map(FeatureRef::parse).toList(), input,
                null, asKnown);
        ResolvedTrainingSet resolved = TrainingSetPlanner.resolve(catalog, request);
        Statement entityRows = TrainingSetSql.entityRows(resolved, dialect());
        List<Column> entityColumns = input instanceof EntityInput.TimeRange ? ENTITY_COLUMNS.subList(0, 2) : ENTITY_COLUMNS;
        TrainingSetPlan plan = TrainingSetPlanner.plan(resolved, entityColumns,
                Map.of("profiles", PROFILE_COLUMNS, "txns", TXN_COLUMNS));
        return TrainingSetSql.render(plan, entityRows, dialect());
    }

    private void assertGolden(String name, Statement statement) {
        String file = name + "." + dialect().name() + ".sql";
        String actual = statement.sql() + "\n";
        String update = System.getProperty("fletcher.golden.dir");
        if (update != null) {
            try {
                Files.writeString(Path.of(update, file), actual);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (InputStream in = EngineSqlGoldenTest.class.getResourceAsStream("golden/" + file)) {
            assertThat(in).as("golden file " + file + " (write it with -Dfletcher.golden.dir)").isNotNull();
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void latestValuesWindowsAndDerivedFeatures() {
        assertGolden("training-set", render(List.of("customer_profile:plan", "customer_txn:amount_sum_1h",
                "customer_txn:txn_count_1d", "customer_txn:big_last_7d", "customer_txn:big_share_7d",
                "customer_profile:credit_limit"), new EntityInput.Table("entities"), false));
    }

    @Test
    void asKnownFromEntitySql() {
        assertGolden("as-known", render(List.of("customer_profile:plan"),
                new EntityInput.Query("select customer_id, event_timestamp, label from labels"), true));
    }

    @Test
    void timeRange() {
        Statement statement = render(List.of("customer_txn:txn_count_1d"), new EntityInput.TimeRange(
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z")), false);
        assertThat(statement.parameters()).containsExactly(Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-02-01T00:00:00Z"));
        assertGolden("time-range", statement);
    }

    @Test
    void approximatePercentileFollowsTheCapability() {
        List<String> features = List.of("customer_txn:amount_p90_7d");
        if (dialect().capabilities().approxPercentile()) {
            assertThat(render(features, new EntityInput.Table("entities"), false).sql())
                    .contains(dialect().approxPercentile(dialect().castToDouble("s._fl_c0"), 0.9));
        } else {
            assertThatThrownBy(() -> render(features, new EntityInput.Table("entities"), false))
                    .isInstanceOf(NotSupportedException.class)
                    .hasMessageContaining("is not supported by this warehouse");
        }
    }
}
