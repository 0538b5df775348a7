package dev.fletcher.server.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.model.Kind;
import dev.fletcher.catalog.model.ObjectKey;
import dev.fletcher.catalog.persistence.CatalogConflictException;
import dev.fletcher.catalog.persistence.CatalogStore;
import dev.fletcher.server.problem.Problem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The catalog over HTTP, against whichever database the concrete class's profile selects. Every test starts
 * from a catalog holding only {@link Bundles#BASELINE}.
 */
abstract class AbstractCatalogSuite {
    static final String YAML = "application/yaml";

    @Inject
    CatalogStore store;

    @Inject
    CatalogService service;

    @Inject
    dev.fletcher.server.config.FletcherConfig config;

    /** Prefixes this test's object names: history outlives deletion, so names are never reused. */
    String p;

    @BeforeEach
    void startFromBaseline() {
        p = "t" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
        apply(Bundles.BASELINE, "?prune=true").then().statusCode(200);
    }

    static io.restassured.response.Response apply(String bundle, String query) {
        return Bundles.given(YAML).body(bundle).when().post("/api/v1/catalog/apply" + query);
    }

    static long catalogVersion() {
        return given().get("/api/v1/catalog").then().statusCode(200).extract().jsonPath()
                .getLong("catalog_version");
    }

    static JsonPath change(JsonPath answer, String kind, String name) {
        List<Map<String, Object>> changes = answer.getList("changes");
        int index = -1;
        for (int i = 0; i < changes.size(); i++) {
            if (kind.equals(changes.get(i).get("kind")) && name.equals(changes.get(i).get("name"))) {
                index = i;
            }
        }
        assertThat(index).as("a change for %s/%s in %s", kind, name, changes).isNotNegative();
        return new JsonPath(answer.prettify()).setRootPath("changes[" + index + "]");
    }

    /** Runs on a new thread that sees the application's classes as the test thread does. */
    static <T> CompletableFuture<T> inThread(java.util.function.Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "catalog-test-peer");
        thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        thread.start();
        return result;
    }

    @Test
    void applyCreatesThenReportsUnchanged() {
        long before = catalogVersion();
        String bundle = Bundles.of(Bundles.customer(p), Bundles.txns(p), Bundles.customerTxn(p, "1h"));

        JsonPath created = apply(bundle, "").then().statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath();
        assertThat(created.getLong("catalog_version")).isEqualTo(before + 1);
        assertThat(created.getBoolean("dry_run")).isFalse();
        assertThat(created.getList("changes")).hasSize(3);
        assertThat(created.getList("changes.action")).containsOnly("created");
        assertThat(created.getList("changes.version", Integer.class)).containsOnly(1);
        assertThat(created.getList("changes.name")).containsExactly(p + "customer", p + "txns", p + "customer_txn");
        assertThat(created.getList("changes.kind")).containsExactly("entity", "source", "feature_view");
        assertThat(created.getMap("summary")).containsExactlyInAnyOrderEntriesOf(
                Map.of("created", 3, "updated", 0, "unchanged", 0, "deleted", 0));

        JsonPath again = apply(bundle, "").then().statusCode(200).extract().jsonPath();
        assertThat(again.getLong("catalog_version")).isEqualTo(before + 1);
        assertThat(again.getList("changes.action")).containsOnly("unchanged");
        assertThat(again.getList("changes.version", Integer.class)).containsOnly(1);
        assertThat(again.getMap("summary")).containsEntry("unchanged", 3).containsEntry("created", 0);
        assertThat(catalogVersion()).isEqualTo(before + 1);
    }

    @Test
    void applyUpdatesOnlyWhatChanged() {
        apply(Bundles.of(Bundles.customer(p), Bundles.txns(p), Bundles.customerTxn(p, "1h")), "").then().statusCode(200);
        long before = catalogVersion();

        JsonPath updated = apply(Bundles.of(Bundles.customer(p), Bundles.txns(p), Bundles.customerTxn(p, "2h")), "")
                .then().statusCode(200).extract().jsonPath();

        assertThat(updated.getLong("catalog_version")).isEqualTo(before + 1);
        assertThat(change(updated, "feature_view", p + "customer_txn").getString("action")).isEqualTo("updated");
        assertThat(change(updated, "feature_view", p + "customer_txn").getInt("version")).isEqualTo(2);
        assertThat(change(updated, "entity", p + "customer").getString("action")).isEqualTo("unchanged");
        assertThat(change(updated, "source", p + "txns").getString("action")).isEqualTo("unchanged");
        assertThat(updated.getMap("summary")).containsEntry("updated", 1).containsEntry("unchanged", 2);

        given().get("/api/v1/catalog/feature_view/" + p + "customer_txn").then().statusCode(200)
                .body("kind", equalTo("feature_view"))
                .body("name", equalTo(p + "customer_txn"))
                .body("version", equalTo(2))
                .body("spec.name", equalTo(p + "customer_txn"));
    }

    @Test
    void applyMergesWithWhatIsStored() {
        apply(Bundles.of(Bundles.customer(p), Bundles.txns(p)), "").then().statusCode(200);

        // The feature view refers to objects that only the stored catalog holds.
        apply(Bundles.customerTxn(p, "1h"), "").then().statusCode(200)
                .body("changes.action", equalTo(List.of("created")));

        JsonPath catalog = given().get("/api/v1/catalog").then().statusCode(200).extract().jsonPath();
        assertThat(catalog.getList("objects.entity.name")).containsExactly("baseline", p + "customer");
        assertThat(catalog.getList("objects.source.name")).containsExactly(p + "txns");
        assertThat(catalog.getList("objects.feature_view.name")).containsExactly(p + "customer_txn");
        assertThat(catalog.getList("objects.metric")).isEmpty();
        assertThat(catalog.getMap("objects").keySet()).containsExactly(
                Arrays.stream(Kind.values()).map(Kind::id).toArray(String[]::new));
    }

    @Test
    void dryRunStoresNothing() {
        long before = catalogVersion();

        apply(Bundles.of(Bundles.customer(p), Bundles.entity(p + "shop")), "?dry_run=true").then().statusCode(200)
                .body("dry_run", equalTo(true))
                .body("catalog_version", equalTo((int) before))
                .body("changes.action", equalTo(List.of("created", "created")))
                .body("summary.created", equalTo(2));

        assertThat(catalogVersion()).isEqualTo(before);
        given().get("/api/v1/catalog/entity/" + p + "customer").then().statusCode(404);
        given().get("/api/v1/catalog/entity/" + p + "shop/versions").then().statusCode(404);
    }

    @Test
    void pruneDeletesWhatTheBundleNoLongerHolds() {
        apply(Bundles.of(Bundles.BASELINE, Bundles.entity(p + "shop")), "").then().statusCode(200);
        long before = catalogVersion();

        JsonPath pruned = apply(Bundles.BASELINE, "?prune=true").then().statusCode(200).extract().jsonPath();

        assertThat(pruned.getLong("catalog_version")).isEqualTo(before + 1);
        assertThat(change(pruned, "entity", p + "shop").getString("action")).isEqualTo("deleted");
        assertThat(change(pruned, "entity", p + "shop").getInt("version")).isEqualTo(2);
        assertThat(change(pruned, "entity", "baseline").getString("action")).isEqualTo("unchanged");
        assertThat(pruned.getMap("summary")).containsEntry("deleted", 1).containsEntry("unchanged", 1);
        given().get("/api/v1/catalog/entity/" + p + "shop").then().statusCode(404)
                .body("detail", containsString("deleted"));
    }

    @Test
    void pruneIsRefusedWhileAnotherObjectStillRefersToTheDeletedOne() {
        apply(Bundles.of(Bundles.customer(p), Bundles.txns(p), Bundles.customerTxn(p, "1h")), "").then().statusCode(200);
        long before = catalogVersion();

        // Without 'customer', the source's entity_columns and the feature view's entity refer to nothing.
        apply(Bundles.of(Bundles.BASELINE, Bundles.txns(p), Bundles.customerTxn(p, "1h")), "?prune=true").then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(400))
                .body("errors.message", hasItem(containsString(p + "customer")));

        assertThat(catalogVersion()).isEqualTo(before);
        given().get("/api/v1/catalog/entity/" + p + "customer").then().statusCode(200).body("version", equalTo(1));
    }

    @Test
    void versionsKeepTheWholeHistory() {
        long start = catalogVersion();
        apply(Bundles.entity(p + "shop"), "").then().statusCode(200);
        apply(Bundles.of(Bundles.BASELINE, """
                kind: entity
                name: %sshop
                keys: [shop_id, region]
                """.formatted(p)), "").then().statusCode(200);
        apply(Bundles.BASELINE, "?prune=true").then().statusCode(200);
        apply(Bundles.entity(p + "shop"), "").then().statusCode(200).body("changes[0].version", equalTo(4));

        JsonPath history = given().get("/api/v1/catalog/entity/" + p + "shop/versions").then().statusCode(200)
                .extract().jsonPath();
        assertThat(history.getString("kind")).isEqualTo("entity");
        assertThat(history.getString("name")).isEqualTo(p + "shop");
        assertThat(history.getList("versions.version", Integer.class)).containsExactly(1, 2, 3, 4);
        assertThat(history.getList("versions.change")).containsExactly("created", "updated", "deleted", "created");
        assertThat(history.getList("versions.catalog_version", Long.class))
                .containsExactly(start + 1, start + 2, start + 3, start + 4);
        assertThat(history.getList("versions.spec.name")).containsOnly(p + "shop");
        assertThat(history.getString("versions[0].changed_at")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

        given().get("/api/v1/catalog/entity/" + p + "shop").then().statusCode(200).body("version", equalTo(4));
    }

    @Test
    void badBundleIsRejectedWithItsPlaceAndNothingIsStored() {
        long before = catalogVersion();
        // Document 2 starts on line 5; its 'window' is on line 10.
        String bundle = """
                kind: entity
                name: %sshop
                keys: [shop_id]
                ---
                kind: feature_view
                name: %sshop_sales
                entity: %sshop
                source: txns
                features:
                  - {name: amount_sum, column: amount, aggregation: sum, window: 3 fortnights}
                """.formatted(p, p, p);

        JsonPath problem = apply(bundle, "?name=shop.yaml").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", startsWith("urn:fletcher:problem:"))
                .body("title", equalTo("Invalid bundle"))
                .body("status", equalTo(400))
                .body("instance", equalTo("/api/v1/catalog/apply"))
                .extract().jsonPath();
        List<Map<String, Object>> errors = problem.getList("errors");
        assertThat(errors).isNotEmpty();
        assertThat(errors).anySatisfy(error -> {
            assertThat(error.get("document")).isEqualTo("shop.yaml#2");
            assertThat(error.get("line")).isEqualTo(10);
            assertThat((String) error.get("field")).contains("window");
            assertThat((String) error.get("message")).isNotBlank();
        });

        assertThat(catalogVersion()).isEqualTo(before);
        given().get("/api/v1/catalog/entity/" + p + "shop").then().statusCode(404);
    }

    @Test
    void anOnlineViewWhoseDerivedFeatureCannotBeEvaluatedOnlineIsRefusedAtApply() {
        long before = catalogVersion();
        // The derived feature's expr is on line 18: date_trunc is SQL the online evaluator does not run.
        String bundle = """
                kind: entity
                name: %sshop
                keys: [shop_id]
                ---
                kind: source
                name: %sshop_sales_src
                table: shop_sales
                timestamp: sold_at
                entity_columns: {%sshop: shop_id}
                ---
                kind: feature_view
                name: %sshop_sales
                entity: %sshop
                source: %sshop_sales_src
                online: true
                features:
                  - {name: amount_sum, column: amount, aggregation: sum, window: 1d}
                  - {name: day, expr: "date_trunc('day', amount_sum)"}
                """.formatted(p, p, p, p, p, p);
        JsonPath problem = apply(bundle, "?name=shop.yaml").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("title", equalTo("Invalid bundle"))
                .extract().jsonPath();
        List<Map<String, Object>> errors = problem.getList("errors");
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.get("document")).isEqualTo("shop.yaml#3");
            assertThat(error.get("line")).isEqualTo(18);
            assertThat(error.get("field")).isEqualTo("features[1].expr");
            assertThat((String) error.get("message")).contains("served online")
                    .contains("the function date_trunc() is not read here");
        });
        assertThat(catalogVersion()).isEqualTo(before);
        given().get("/api/v1/catalog/entity/" + p + "shop").then().statusCode(404);
    }

    @Test
    void emptyBundleIsRefused() {
        apply("  \n", "?prune=true").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].message", containsString("empty"));
        given().get("/api/v1/catalog/entity/baseline").then().statusCode(200);
    }

    @Test
    void anApplyBasedOnAStaleCatalogLosesAndChangesNothing() throws Exception {
        long before = catalogVersion();
        QuarkusTransaction.begin();
        try {
            // This transaction now holds the head as of 'before'.
            assertThat(store.catalogVersion()).isEqualTo(before);
            // Another apply commits meanwhile, from another thread and transaction.
            inThread(() -> service.apply("winner", Bundles.entity(p + "winner"), false, false))
                    .get(30, TimeUnit.SECONDS);

            assertThatThrownBy(() -> store.apply(BundleParser.parse("loser", Bundles.entity(p + "loser")), false, false))
                    .isInstanceOf(CatalogConflictException.class)
                    .hasMessageContaining("the catalog changed while this apply ran");
        } finally {
            QuarkusTransaction.rollback();
        }

        assertThat(catalogVersion()).isEqualTo(before + 1);
        given().get("/api/v1/catalog/entity/" + p + "winner").then().statusCode(200);
        given().get("/api/v1/catalog/entity/" + p + "loser").then().statusCode(404);
        assertThat(store.get(new ObjectKey(Kind.ENTITY, p + "loser"))).isEmpty();
    }

    @Test
    void concurrentApplyOverHttpGetsConflict() throws Exception {
        long before = catalogVersion();
        CompletableFuture<io.restassured.response.Response> loser;
        QuarkusTransaction.begin();
        try {
            // The winner has written (and locked the head) but not committed yet.
            store.apply(BundleParser.parse("winner", Bundles.entity(p + "winner")), false, false);
            loser = inThread(() -> apply(Bundles.entity(p + "loser"), ""));
            // Give the HTTP apply time to read the old head and block on the winner's lock.
            Thread.sleep(1500);
            assertThat(loser).isNotDone();
        } finally {
            QuarkusTransaction.commit();
        }

        loser.get(30, TimeUnit.SECONDS).then().statusCode(409)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(409))
                .body("detail", equalTo("the catalog changed while this apply ran (now at version " + (before + 1)
                        + "); re-read and apply again"));
        assertThat(catalogVersion()).isEqualTo(before + 1);
        given().get("/api/v1/catalog/entity/" + p + "loser").then().statusCode(404);
    }

    @Test
    void oversizeBundleIsRefused() {
        byte[] big = new byte[(int) config.catalog().maxBundleBytes().asLongValue() + 1];
        Arrays.fill(big, (byte) '#');
        Bundles.given(YAML).body(big).post("/api/v1/catalog/apply").then().statusCode(413)
                .contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("fletcher.catalog.max-bundle-bytes"));
        // Without a Content-Length the limit holds while reading.
        Bundles.given(YAML).body(new ByteArrayInputStream(big)).post("/api/v1/catalog/apply").then()
                .statusCode(413).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void otherMediaTypesAreRefused() {
        given().contentType(ContentType.JSON).body("{\"kind\": \"entity\"}").post("/api/v1/catalog/apply").then()
                .statusCode(415).contentType(Problem.MEDIA_TYPE).body("status", equalTo(415))
                .body("detail", containsString("application/yaml"));
    }

    @Test
    void plainTextAndXYamlAreAccepted() {
        Bundles.given("text/plain").body(Bundles.entity(p + "shop")).post("/api/v1/catalog/apply").then()
                .statusCode(200).body("changes[0].action", equalTo("created"));
        Bundles.given("application/x-yaml").body(Bundles.entity(p + "shop")).post("/api/v1/catalog/apply")
                .then().statusCode(200).body("changes[0].action", equalTo("unchanged"));
    }

    @Test
    void unknownKindsNamesAndPathsAreNotFound() {
        given().get("/api/v1/catalog/widget/x").then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("feature_view"));
        given().get("/api/v1/catalog/entity/nobody").then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("nobody"))
                .body("detail", not(containsString("deleted")));
        given().get("/api/v1/catalog/entity/nobody/versions").then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
        given().get("/api/v1/nothing-here").then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(404));
    }

    @Test
    void wrongMethodIsNotAllowed() {
        given().delete("/api/v1/catalog/entity/baseline").then().statusCode(405).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("DELETE"));
        given().get("/api/v1/catalog/apply").then().statusCode(405).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void definitionComesBackAsYamlWhenAsked() {
        apply(Bundles.customer(p), "").then().statusCode(200);
        String yaml = given().accept(YAML).get("/api/v1/catalog/entity/" + p + "customer").then().statusCode(200)
                .contentType(YAML).extract().asString();
        assertThat(yaml).contains("name: " + p + "customer").contains("customer_id");
        // What comes back applies as unchanged.
        apply(yaml, "").then().statusCode(200).body("changes[0].action", equalTo("unchanged"));
    }

    @Test
    void snapshotFollowsApplies() {
        assertThat(service.snapshot()).containsOnlyKeys(new ObjectKey(Kind.ENTITY, "baseline"));
        apply(Bundles.customer(p), "").then().statusCode(200);
        assertThat(service.snapshot()).containsOnlyKeys(new ObjectKey(Kind.ENTITY, "baseline"),
                new ObjectKey(Kind.ENTITY, p + "customer"));
        assertThat(service.current().catalogVersion()).isEqualTo(catalogVersion());
    }
}
