package dev.fletcher.catalog.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SqlIdentifiersTest {
    @Test
    void findsBareNamesOnly() {
        assertThat(SqlIdentifiers.references("amount_max_7d / nullif(amount_avg_7d, 0)"))
                .containsExactly("amount_max_7d", "amount_avg_7d");
        assertThat(SqlIdentifiers.references(
                "CASE WHEN a IS NOT NULL AND b > 1.5e-3 THEN 'x y' ELSE coalesce(c, 0)::double END"))
                .containsExactly("a", "b", "c");
        assertThat(SqlIdentifiers.references("cast(a as bigint) + t.col + \"Quoted\" -- d\n /* e */ + f"))
                .containsExactly("a", "Quoted", "f");
        assertThat(SqlIdentifiers.references("'it''s' || g")).containsExactly("g");
        assertThat(SqlIdentifiers.references("extract(epoch from interval '1 day') * h")).containsExactly("h");
    }

    @Test
    void knownNamesWinOverKeywords() {
        assertThat(SqlIdentifiers.references("last + day", Set.of("last"))).containsExactly("last");
    }
}
