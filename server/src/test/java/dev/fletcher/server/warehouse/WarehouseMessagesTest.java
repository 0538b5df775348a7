package dev.fletcher.server.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Warehouse messages as clients read them: the words and names stay, the data they quote goes. */
class WarehouseMessagesTest {
    @Test
    void valuesQuotedBySqlWarehousesAreLeftOut() {
        assertThat(WarehouseMessages.withoutValues("Conversion Error: Could not convert string 'root:x:0:0:root:/root'"
                + " to DOUBLE when casting from source column _fl_k0"))
                .isEqualTo("Conversion Error: Could not convert string '(value not shown)' to DOUBLE when casting from"
                        + " source column _fl_k0")
                .doesNotContain("root:x");
        assertThat(WarehouseMessages.withoutValues("Conversion Error: invalid timestamp field format: \"s3cret\", expected"
                + " format is (YYYY-MM-DD HH:MM:SS[.US][±HH:MM| ZONE])")).doesNotContain("s3cret").contains("expected");
        assertThat(WarehouseMessages.withoutValues("Cannot cast 'it''s secret' to INT"))
                .isEqualTo("Cannot cast '(value not shown)' to INT");
    }

    @Test
    void postgresValuesAreLeftOutAndItsNamesKept() {
        assertThat(WarehouseMessages.withoutValues("ERROR: invalid input syntax for type integer: \"alice@example.com\""))
                .isEqualTo("ERROR: invalid input syntax for type integer: \"(value not shown)\"");
        assertThat(WarehouseMessages.withoutValues("ERROR: value \"99999999999\" is out of range for type integer"))
                .isEqualTo("ERROR: value \"(value not shown)\" is out of range for type integer");
        assertThat(WarehouseMessages.withoutValues("Detail: Key (email)=(alice@example.com) already exists."))
                .isEqualTo("Detail: Key (email)=((value not shown)) already exists.");
        assertThat(WarehouseMessages.withoutValues("ERROR: column \"revenue\" does not exist"))
                .isEqualTo("ERROR: column \"revenue\" does not exist");
    }
}
