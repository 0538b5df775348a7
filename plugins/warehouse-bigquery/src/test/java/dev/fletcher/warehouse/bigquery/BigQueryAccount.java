package dev.fletcher.warehouse.bigquery;

import dev.fletcher.conformance.warehouse.CloudAccount;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The BigQuery account of the credential-gated suites: a BigQuery project and a dataset the credentials may create
 * tables in.
 */
public final class BigQueryAccount extends CloudAccount {
    public BigQueryAccount() {
        super("BigQuery", List.of(
                "FLETCHER_TEST_BIGQUERY_PROJECT", "FLETCHER_TEST_BIGQUERY_DATASET", "GOOGLE_APPLICATION_CREDENTIALS"),
                Map.of(
                    "FLETCHER_TEST_BIGQUERY_PROJECT", "project",
                    "FLETCHER_TEST_BIGQUERY_DATASET", "dataset",
                    "FLETCHER_TEST_BIGQUERY_STAGING_DATASET", "staging-dataset",
                    "FLETCHER_TEST_BIGQUERY_LOCATION", "location"));
    }

    /** A warehouse on the account. */
    static Warehouse warehouse(Path dataDir) {
        return new BigQueryAccount().warehouse(new BigQueryWarehouseFactory(), dataDir);
    }
}
