package dev.fletcher.server.auth;

import static dev.fletcher.server.auth.AuthFixture.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.fletcher.server.problem.Problem;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API keys over REST: their lifecycle, 401 and 403 problems, roles on the catalog, and who made each change. */
@QuarkusTest
@TestProfile(AuthProfile.class)
class ApiKeyTest {
    @Inject
    ApiKeys keys;

    String admin;
    String adminName;

    @BeforeEach
    void anAdminKey() {
        AuthFixture.revokeAll(keys);
        adminName = AuthFixture.name("admin");
        admin = keys.create(adminName, "admin", "test").key();
    }

    @AfterEach
    void revokeEveryKey() {
        AuthFixture.revokeAll(keys);
    }

    private String create(String name, String role) {
        return as(admin).contentType(ContentType.JSON).body("{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}")
                .post("/api/v1/keys").then().statusCode(201).extract().path("key");
    }

    private static Response apply(String key, String yaml, String query) {
        return as(key).config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .encodeContentTypeAs("application/yaml", ContentType.TEXT)))
                .contentType("application/yaml").body(yaml).post("/api/v1/catalog/apply" + query);
    }

    private static String entity(String name) {
        return "kind: entity\nname: " + name + "\nkeys: [" + name + "_id]\n";
    }

    @Test
    void everyKeyLearnsItsOwnRoleAndNoOneElses() {
        String readerName = AuthFixture.name("reader");
        String reader = create(readerName, "reader");
        as(reader).get("/api/v1/keys/me").then().statusCode(200).body("name", equalTo(readerName))
                .body("role", equalTo("reader")).body("protected_mode", equalTo(false));
        as(admin).get("/api/v1/keys/me").then().statusCode(200).body("name", equalTo(adminName))
                .body("role", equalTo("admin"));
        given().get("/api/v1/keys/me").then().statusCode(401);
    }

    @Test
    void theConsoleLoadsWithoutAKeyWhileTheApiStillNeedsOne() {
        given().redirects().follow(false).get("/").then().statusCode(302).header("Location", "/console/");
        given().get("/console/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("Fletcher"));
        given().get("/console/app.js").then().statusCode(200);
        given().get("/_static/echarts/5.6.0/dist/echarts.min.js").then().statusCode(200);
        given().get("/webjars/dagre/0.8.4/dist/dagre.min.js").then().statusCode(200);
        given().get("/api/v1/catalog").then().statusCode(401);
        given().get("/console/../api/v1/catalog").then().statusCode(401);
    }

    @Test
    void keysAreCreatedOnceListedWithoutTheKeyAndRevoked() {
        String name = AuthFixture.name("ci");
        JsonPath created = as(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"" + name + "\", \"role\": \"reader\"}").post("/api/v1/keys").then()
                .statusCode(201).body("name", equalTo(name)).body("role", equalTo("reader"))
                .body("created_by", equalTo(adminName)).body("created_at", startsWith("20"))
                .extract().jsonPath();
        String key = created.getString("key");
        String id = created.getString("id");
        assertThat(key).startsWith("fk_" + id + "_").hasSizeGreaterThan(40);

        String listed = as(admin).get("/api/v1/keys").then().statusCode(200)
                .body("keys.name", hasItem(name)).body("keys.key", not(hasItem(key))).extract().asString();
        assertThat(listed).doesNotContain(key).doesNotContain(key.substring(key.lastIndexOf('_') + 1));
        as(key).get("/api/v1/catalog").then().statusCode(200);
        String echoed = as(admin).delete("/api/v1/keys/" + key).then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).extract().asString();
        assertThat(echoed).contains("by its name or its id").doesNotContain(key);

        // The same name twice is a conflict; revoking frees it and stops the key at once.
        as(admin).contentType(ContentType.JSON).body("{\"name\": \"" + name + "\", \"role\": \"admin\"}")
                .post("/api/v1/keys").then().statusCode(409).contentType(Problem.MEDIA_TYPE);
        as(admin).delete("/api/v1/keys/" + name).then().statusCode(200).body("name", equalTo(name))
                .body("key", nullValue());
        as(key).get("/api/v1/catalog").then().statusCode(401);
        as(admin).delete("/api/v1/keys/" + name).then().statusCode(404).contentType(Problem.MEDIA_TYPE);

        // By id as well.
        String other = AuthFixture.name("other");
        String otherKey = create(other, "analyst");
        String otherId = otherKey.substring(3, 15);
        as(admin).delete("/api/v1/keys/" + otherId).then().statusCode(200).body("name", equalTo(other));
        as(otherKey).get("/api/v1/catalog").then().statusCode(401);

        as(admin).get("/api/v1/keys/history?limit=3").then().statusCode(200)
                .body("events[0].name", equalTo(other)).body("events[0].action", equalTo("revoked"))
                .body("events[0].by", equalTo(adminName)).body("events[1].action", equalTo("created"))
                .body("limit", equalTo(3)).body("next_offset", equalTo(3));
    }

    @Test
    void badKeyRequestsAreProblems() {
        record Case(String body, String detail) {
        }
        for (Case c : List.of(
                new Case("{\"name\": \"x1\", \"role\": \"owner\"}", "reader, analyst, admin"),
                new Case("{\"name\": \"x1\"}", "needs a 'role'"),
                new Case("{\"role\": \"reader\"}", "needs a 'name'"),
                new Case("{\"name\": \"Robert'); drop table api_key;--\", \"role\": \"reader\"}", "lower-case"),
                new Case("{\"name\": \"local\", \"role\": \"reader\"}", "reserved"),
                new Case("{\"name\": 3, \"role\": []}", "not the JSON expected"),
                new Case("{\"name\": ", "not the JSON expected"))) {
            as(admin).contentType(ContentType.JSON).body(c.body()).post("/api/v1/keys").then()
                    .statusCode(400).contentType(Problem.MEDIA_TYPE).body("detail", containsString(c.detail()));
        }
        as(admin).contentType(ContentType.JSON).post("/api/v1/keys").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        as(admin).get("/api/v1/keys/history?limit=0").then().statusCode(400).contentType(Problem.MEDIA_TYPE);
        as(admin).get("/api/v1/catalog/history?offset=many").then().statusCode(400)
                .body("detail", containsString("'offset'"));
    }

    @Test
    void aMissingOrUnknownKeyIsA401ProblemWithABearerChallenge() {
        String bogus = "fk_aaaaaaaaaaaa_" + "x".repeat(43);
        for (var request : List.of(given(), as(bogus), as(""), given().header("Authorization", "Token abc"),
                given().header("Authorization", "Basic " + Base64.getEncoder().encodeToString("me:wrong".getBytes())),
                as(admin + "x"))) {
            String body = request.get("/api/v1/catalog").then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("type", equalTo("urn:fletcher:problem:unauthenticated")).body("status", equalTo(401))
                    .extract().asString();
            assertThat(body).doesNotContain(bogus).doesNotContain(admin);
        }
        // Basic with the key as password works on REST as on Flight.
        given().header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("any:" + admin).getBytes()))
                .get("/api/v1/catalog").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        // The API description is open, and declares the key so Swagger UI can send it.
        given().accept(ContentType.JSON).get("/q/openapi").then().statusCode(200)
                .body("components.securitySchemes.apiKey.scheme", equalTo("bearer"))
                .body("security[0]", org.hamcrest.Matchers.hasKey("apiKey"));
    }

    @Test
    void aReaderCannotApplyOrPruneAndAnAdminCan() {
        String reader = create(AuthFixture.name("reader"), "reader");
        String analyst = create(AuthFixture.name("analyst"), "analyst");
        String p = "k" + AuthFixture.name("").substring(1).replace("-", "");
        apply(admin, entity(p + "kept"), "").then().statusCode(200);

        as(reader).get("/api/v1/catalog").then().statusCode(200);
        as(reader).get("/api/v1/catalog/entity/" + p + "kept").then().statusCode(200);
        for (String query : List.of("", "?prune=true", "?dry_run=true")) {
            apply(reader, entity(p + "new"), query).then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo("urn:fletcher:problem:forbidden"))
                    .body("detail", containsString("needs the admin role"))
                    .body("detail", containsString("reader role"));
            apply(analyst, entity(p + "new"), query).then().statusCode(403);
        }
        as(reader).get("/api/v1/catalog/entity/" + p + "new").then().statusCode(404);
        as(reader).get("/api/v1/keys").then().statusCode(403);
        as(analyst).contentType(ContentType.JSON).body("{\"name\": \"mine\", \"role\": \"admin\"}")
                .post("/api/v1/keys").then().statusCode(403);
        as(reader).delete("/api/v1/keys/" + adminName).then().statusCode(403);

        // Running an analysis needs an analyst: the reader is refused before the experiment is looked up.
        as(reader).contentType(ContentType.JSON).body("{}").post("/api/v1/experiments/nope/analysis").then()
                .statusCode(403);
        as(analyst).contentType(ContentType.JSON).body("{}").post("/api/v1/experiments/nope/analysis").then()
                .statusCode(404);
        as(reader).contentType(ContentType.JSON).body("{}").post("/api/v1/materialize").then().statusCode(403);

        apply(admin, entity(p + "new"), "?prune=true").then().statusCode(200)
                .body("summary.created", equalTo(1)).body("summary.deleted", equalTo(1));
        as(reader).get("/api/v1/catalog/entity/" + p + "kept").then().statusCode(404);
    }

    @Test
    void everyCatalogChangeNamesTheKeyThatMadeIt() {
        String p = "a" + AuthFixture.name("").substring(1).replace("-", "");
        apply(admin, entity(p + "audited"), "").then().statusCode(200);
        String editorName = AuthFixture.name("editor");
        String editor = create(editorName, "admin");
        apply(editor, entity(p + "audited").replace("_id]", "_id, other_id]"), "").then().statusCode(200);
        apply(editor, entity(p + "second"), "?prune=true").then().statusCode(200);

        as(editor).get("/api/v1/catalog/entity/" + p + "audited/versions").then().statusCode(200)
                .body("versions.changed_by", equalTo(List.of(adminName, editorName, editorName)))
                .body("versions.change", equalTo(List.of("created", "updated", "deleted")));

        JsonPath history = as(editor).get("/api/v1/catalog/history?limit=1000").then().statusCode(200)
                .body("limit", equalTo(1000)).body("offset", equalTo(0)).extract().jsonPath();
        List<Long> versions = history.getList("changes.catalog_version", Long.class);
        assertThat(versions).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        List<String> names = history.getList("changes.name");
        int second = names.indexOf(p + "second");
        assertThat(history.getString("changes[" + second + "].change")).isEqualTo("created");
        assertThat(history.getString("changes[" + second + "].changed_by")).isEqualTo(editorName);
        assertThat(history.getString("changes[" + second + "].kind")).isEqualTo("entity");
        assertThat(history.getInt("changes[" + second + "].version")).isEqualTo(1);
        assertThat(history.getLong("changes[" + second + "].catalog_version")).isEqualTo(versions.get(0));
        assertThat(history.getString("changes[" + second + "].changed_at")).startsWith("20");
        int firstOfAudited = names.lastIndexOf(p + "audited");
        assertThat(history.getString("changes[" + firstOfAudited + "].change")).isEqualTo("created");
        assertThat(history.getString("changes[" + firstOfAudited + "].changed_by")).isEqualTo(adminName);

        // Pages are slices of the same order.
        JsonPath page = as(editor).get("/api/v1/catalog/history?limit=2&offset=1").then().statusCode(200)
                .body("next_offset", equalTo(3)).extract().jsonPath();
        assertThat(page.getList("changes.name")).isEqualTo(names.subList(1, 3));
        as(editor).get("/api/v1/catalog/history?limit=1000&offset=100000").then().statusCode(200)
                .body("changes.size()", equalTo(0)).body("next_offset", nullValue());
    }

    @Test
    void keysNeverReachTheLog() {
        List<String> logged = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            private final java.util.logging.Formatter format = new java.util.logging.SimpleFormatter();

            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(format.format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            String name = AuthFixture.name("logged");
            String key = create(name, "reader");
            as(key).get("/api/v1/catalog").then().statusCode(200);
            as(key).get("/api/v1/keys").then().statusCode(403);
            apply(key, entity("nope"), "").then().statusCode(403);
            as(key + "0").get("/api/v1/catalog").then().statusCode(401);
            as(admin).delete("/api/v1/keys/" + key).then().statusCode(400);
            as(admin).delete("/api/v1/keys/" + name).then().statusCode(200);
            as(key).get("/api/v1/catalog").then().statusCode(401);
        } finally {
            root.removeHandler(capture);
        }
        String log = String.join("\n", logged);
        assertThat(log).as("the log of the key's creation and revocation").contains(name(logged, "created"))
                .contains(name(logged, "revoked"));
        assertThat(log).doesNotContain("fk_").doesNotContain(admin.substring(16));
    }

    private static String name(List<String> logged, String verb) {
        return logged.stream().filter(l -> l.contains("API key 'logged-") && l.contains(verb)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing logged the key being " + verb + ": " + logged));
    }
}
