package dev.fletcher.server.catalog;

/** YAML bundles the catalog tests apply, written as a catalog author would. */
final class Bundles {
    private Bundles() {
    }

    /** A request whose body is sent as text under the given YAML (or other) media type. */
    static io.restassured.specification.RequestSpecification given(String contentType) {
        return io.restassured.RestAssured.given()
                .config(io.restassured.RestAssured.config().encoderConfig(
                        io.restassured.config.EncoderConfig.encoderConfig()
                                .encodeContentTypeAs(contentType, io.restassured.http.ContentType.TEXT)))
                .contentType(contentType);
    }

    /** Every test starts from this catalog (applied with prune). */
    static final String BASELINE = """
            kind: entity
            name: baseline
            keys: [baseline_id]
            """;

    /** An entity {@code <p>customer}; {@code p} keeps each test's names apart (history outlives deletes). */
    static String customer(String p) {
        return entity(p + "customer");
    }

    static String txns(String p) {
        return """
                kind: source
                name: %stxns
                warehouse: default
                table: txns
                timestamp: txn_at
                entity_columns: {%scustomer: customer_id}
                """.formatted(p, p);
    }

    static String customerTxn(String p, String window) {
        return """
                kind: feature_view
                name: %scustomer_txn
                entity: %scustomer
                source: %stxns
                features:
                  - {name: amount_sum, column: amount, aggregation: sum, window: %s}
                """.formatted(p, p, p, window);
    }

    static String entity(String name) {
        return """
                kind: entity
                name: %s
                keys: [%s_id]
                """.formatted(name, name);
    }

    /** Joins documents into one bundle. */
    static String of(String... documents) {
        return String.join("---\n", documents);
    }
}
