package dev.fletcher.warehouse.snowflake;

import dev.fletcher.conformance.warehouse.CloudAccount;
import dev.fletcher.spi.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Snowflake account of the credential-gated suites: a Snowflake account, with a database and schema the user
 * may create tables in.
 */
public final class SnowflakeAccount extends CloudAccount {
    public SnowflakeAccount() {
        super("Snowflake", List.of(
                "FLETCHER_TEST_SNOWFLAKE_URL", "FLETCHER_TEST_SNOWFLAKE_USER", "FLETCHER_TEST_SNOWFLAKE_PASSWORD"),
                Map.of(
                    "FLETCHER_TEST_SNOWFLAKE_URL", "url",
                    "FLETCHER_TEST_SNOWFLAKE_USER", "user",
                    "FLETCHER_TEST_SNOWFLAKE_PASSWORD", "password",
                    "FLETCHER_TEST_SNOWFLAKE_WAREHOUSE", "warehouse",
                    "FLETCHER_TEST_SNOWFLAKE_DATABASE", "database",
                    "FLETCHER_TEST_SNOWFLAKE_SCHEMA", "schema",
                    "FLETCHER_TEST_SNOWFLAKE_ROLE", "role",
                    "FLETCHER_TEST_SNOWFLAKE_STAGING_SCHEMA", "staging-schema"));
    }

    /** A warehouse on the account. */
    static Warehouse warehouse(Path dataDir) {
        return new SnowflakeAccount().warehouse(new SnowflakeWarehouseFactory(), dataDir);
    }
}
