package dev.fletcher.warehouse.redshift;

import dev.fletcher.conformance.warehouse.CloudAccount;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Redshift account of the credential-gated suites: a Redshift cluster or serverless workgroup, with a database
 * the user may create tables in.
 */
public final class RedshiftAccount extends CloudAccount {
    public RedshiftAccount() {
        super("Redshift", List.of(
                "FLETCHER_TEST_REDSHIFT_URL", "FLETCHER_TEST_REDSHIFT_USER", "FLETCHER_TEST_REDSHIFT_PASSWORD"),
                Map.of(
                    "FLETCHER_TEST_REDSHIFT_URL", "url",
                    "FLETCHER_TEST_REDSHIFT_USER", "user",
                    "FLETCHER_TEST_REDSHIFT_PASSWORD", "password"));
    }

    /** A warehouse on the account. */
    static Warehouse warehouse(Path dataDir) {
        return new RedshiftAccount().warehouse(new RedshiftWarehouseFactory(), dataDir);
    }
}
