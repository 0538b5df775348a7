package dev.fletcher.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.Catalog;
import dev.fletcher.spi.warehouse.Dialect;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectTest {
    @Test
    void clausesOnLinesOfTheirOwnOrOnOne() {
        Select select = Select.of("k", "SUM(v) AS v").from("t", "s").join("JOIN u AS x ON x.k = s.k")
                .where(List.of("a > 1", "b < 2")).groupBy(List.of("k"));
        assertThat(select.toString()).isEqualTo("""
                SELECT k, SUM(v) AS v
                FROM t AS s
                JOIN u AS x ON x.k = s.k
                WHERE a > 1 AND b < 2
                GROUP BY k""");
        assertThat(select.inline()).isEqualTo("SELECT k, SUM(v) AS v FROM t AS s JOIN u AS x ON x.k = s.k"
                + " WHERE a > 1 AND b < 2 GROUP BY k");
    }

    @Test
    void distinctColumnsPerLineAndANestedQuery() {
        assertThat(Select.of("a", "b").distinct().columnPerLine().fromQuery("SELECT 1 AS a,\n2 AS b", "q").toString())
                .isEqualTo("SELECT DISTINCT a,\n  b\nFROM (\n  SELECT 1 AS a,\n  2 AS b\n) AS q");
        assertThat(Select.of("1").inline()).isEqualTo("SELECT 1");
        assertThatThrownBy(() -> Select.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSourceIsItsTableOrItsAuthorsQuery() {
        Catalog catalog = Catalog.of(BundleParser.parse("s.yaml", """
                kind: source
                name: txns
                table: analytics.txns
                timestamp: at
                ---
                kind: source
                name: recent
                sql: "select * from raw where at > now() - interval '1 day';  "
                timestamp: at
                """).objects().stream().map(ParsedObject::object).toList());
        Dialect dialect = StandardDialect.INSTANCE;
        assertThat(Sql.relation(dialect, catalog.source("txns").orElseThrow())).isEqualTo("\"analytics\".\"txns\"");
        assertThat(Sql.relation(dialect, catalog.source("recent").orElseThrow()))
                .isEqualTo("(\n  select * from raw where at > now() - interval '1 day'\n)");
    }
}
