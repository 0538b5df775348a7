package dev.fletcher.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.sdk.ApplyResult;
import dev.fletcher.sdk.Catalog;
import dev.fletcher.sdk.CatalogEntry;
import dev.fletcher.sdk.FletcherClient;
import dev.fletcher.sdk.FletcherException;
import dev.fletcher.sdk.ObjectVersion;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Java SDK against the running server: every catalog call, and errors as typed exceptions. */
@QuarkusTest
class FletcherClientTest {
    private static final String BUNDLE = """
            kind: entity
            name: sdk_user
            keys: [user_id]
            ---
            kind: source
            name: sdk_clicks
            table: sdk_clicks
            timestamp: clicked_at
            entity_columns: {sdk_user: user_id}
            description: %s
            """;

    @TestHTTPResource("/")
    URI server;

    private FletcherClient fletcher;

    @BeforeEach
    void connect() {
        fletcher = FletcherClient.connect(server);
    }

    @AfterEach
    void close() {
        fletcher.close();
    }

    @Test
    void dryRunApplyChangeAndHistory() {
        String first = BUNDLE.formatted("clicks, first take");

        ApplyResult planned = fletcher.apply(first, true, false);
        assertThat(planned.dryRun()).isTrue();
        assertThat(planned.change("entity", "sdk_user").action()).isIn("created", "unchanged");
        if (planned.change("entity", "sdk_user").action().equals("created")) {
            assertThatThrownBy(() -> fletcher.get("entity", "sdk_user"))
                    .isInstanceOfSatisfying(FletcherException.class, e -> assertThat(e.status()).isEqualTo(404));
        }

        ApplyResult applied = fletcher.apply(first);
        assertThat(applied.dryRun()).isFalse();
        assertThat(applied.changes()).extracting(ApplyResult.Change::name).containsExactly("sdk_user", "sdk_clicks");

        CatalogEntry source = fletcher.get("source", "sdk_clicks");
        assertThat(source.kind()).isEqualTo("source");
        assertThat(source.spec().path("timestamp").asText()).isEqualTo("clicked_at");
        assertThat(source.spec().path("description").asText()).isEqualTo("clicks, first take");
        int before = source.version();

        ApplyResult again = fletcher.apply(first);
        assertThat(again.unchanged()).hasSize(2);
        assertThat(again.created()).isEmpty();
        assertThat(again.updated()).isEmpty();

        ApplyResult changed = fletcher.apply(BUNDLE.formatted("clicks, second take"));
        assertThat(changed.updated()).extracting(ApplyResult.Change::name).containsExactly("sdk_clicks");
        assertThat(changed.change("source", "sdk_clicks").version()).isEqualTo(before + 1);
        assertThat(changed.change("entity", "sdk_user").action()).isEqualTo("unchanged");

        List<ObjectVersion> history = fletcher.versions("source", "sdk_clicks");
        assertThat(history).hasSizeGreaterThanOrEqualTo(2);
        ObjectVersion last = history.get(history.size() - 1);
        assertThat(last.version()).isEqualTo(before + 1);
        assertThat(last.change()).isEqualTo("updated");
        assertThat(last.spec().path("description").asText()).isEqualTo("clicks, second take");
        assertThat(history.get(history.size() - 2).spec().path("description").asText())
                .isEqualTo("clicks, first take");
        assertThat(last.changedAt()).isNotNull();

        Catalog catalog = fletcher.catalog();
        assertThat(catalog.catalogVersion()).isGreaterThanOrEqualTo(changed.catalogVersion());
        assertThat(catalog.ofKind("entity")).extracting(CatalogEntry::name).contains("sdk_user");
        assertThat(catalog.objects().keySet())
                .contains("entity", "source", "feature_view", "metric", "monitor", "experiment");
    }

    @Test
    void pruneOnADryRunPlansDeletionsButKeepsThem() {
        fletcher.apply(BUNDLE.formatted("kept"));
        String withoutSource = BUNDLE.substring(0, BUNDLE.indexOf("---"));
        ApplyResult plan = fletcher.apply(withoutSource, true, true);
        assertThat(plan.dryRun()).isTrue();
        assertThat(plan.change("source", "sdk_clicks").action()).isEqualTo("deleted");
        assertThat(fletcher.get("source", "sdk_clicks").spec().path("description").asText()).isEqualTo("kept");
    }

    @Test
    void aBadBundleBecomesATypedExceptionWithEveryError() {
        String bad = """
                kind: entity
                name: sdk_broken
                keys: [id]
                ---
                kind: feature_view
                name: sdk_broken_view
                entity: sdk_broken
                source: sdk_no_such_source
                features:
                  - {name: total, column: amount, aggregation: sum, window: 3x}
                """;
        assertThatThrownBy(() -> fletcher.apply(bad))
                .isInstanceOfSatisfying(FletcherException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.title()).isNotBlank();
                    assertThat(e.errors()).isNotEmpty();
                    assertThat(e.errors()).anySatisfy(error -> {
                        assertThat(error.line()).isEqualTo(10);
                        assertThat(error.field()).contains("window");
                        assertThat(error.message()).contains("3x");
                    });
                });
        // The whole bundle was rejected: not even the valid entity was stored.
        assertThatThrownBy(() -> fletcher.get("entity", "sdk_broken"))
                .isInstanceOfSatisfying(FletcherException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void anUnknownObjectIsA404WithADetail() {
        assertThatThrownBy(() -> fletcher.versions("metric", "sdk_never_defined"))
                .isInstanceOfSatisfying(FletcherException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.detail()).contains("sdk_never_defined");
                    assertThat(e.errors()).isEmpty();
                });
    }
}
