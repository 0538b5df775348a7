package dev.fletcher.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UserSqlTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "select * from txns",
        "SELECT customer_id, amount FROM txns WHERE amount > 0;",
        "select 1 union all select 2",
        "(select 1) except (select 2)",
        "values (1, 'a'), (2, 'b')",
        "with x as (select 1 as a) select * from x",
        "select ';' as semicolon, '--' as dashes, '/*' as open_comment from t",
        "select \"odd;name\" from t -- a trailing comment",
        "select * from t /* a comment; with a semicolon */",
        "select amount::double from t",
        "from txns select customer_id",
        "select * from read_csv_auto('/data/files/txns.csv')",
        "select customer_id, txn_at from parquet.`/data/t.parquet`",
        "select * from t where name = $1",
        "select e.x, E'tab\\there' from e",
        "select replace(name, 'a', 'b') as name, (update_count) as n from t",
        "select * from t order by 1 limit 5"
    })
    void queriesPass(String sql) {
        assertThat(UserSql.problem(sql)).as(sql).isEmpty();
    }

    /** Every source query of the example catalog passes (the dialects' own syntax included). */
    @Test
    void theExampleCatalogPasses() throws IOException {
        String catalog = Files.readString(Path.of("..", "examples", "catalog.yaml"));
        Matcher block = Pattern.compile("(?m)^sql: \\|\\n((?:  .*\\n?)+)").matcher(catalog);
        List<String> queries = new ArrayList<>();
        while (block.find()) {
            queries.add(block.group(1));
        }
        assertThat(queries).hasSizeGreaterThanOrEqualTo(2);
        queries.forEach(sql -> assertThat(UserSql.problem(sql)).as(sql).isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "COPY (select * from t) TO '/tmp/out.csv'                  | `COPY`",
        "ATTACH '/tmp/other.duckdb' AS other                       | `ATTACH`",
        "INSTALL httpfs                                            | `INSTALL`",
        "LOAD httpfs                                               | `LOAD`",
        "SET enable_external_access = true                         | `SET`",
        "PRAGMA database_list                                      | `PRAGMA`",
        "CALL pragma_version()                                     | `CALL`",
        "EXPORT DATABASE '/tmp/dump'                               | `EXPORT`",
        "create table stolen as select * from t                    | `CREATE",
        "insert into t values (1)                                  | `INSERT`",
        "delete from t                                             | `DELETE`",
        "update t set a = 1                                        | `UPDATE`",
        "drop table t                                              | `DROP",
        "with d as (delete from t returning *) select * from d     | `DELETE`",
        "with x as (select 1) insert into t select * from x        | `INSERT`",
        "select * into stolen from t                               | `SELECT ... INTO`",
        "explain select 1                                          | `EXPLAIN`"
    })
    void otherStatementsAreRefusedByName(String sql, String construct) {
        assertThat(UserSql.problem(sql)).as(sql).hasValueSatisfying(problem -> assertThat(problem)
                .contains(construct).contains("not allowed in user SQL; only a single query is"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "select 1; select 2",
        "select 1; drop table t",
        "select 1;; drop table t",
        // a string under one reading, live text under another: refused whichever the warehouse uses
        "select 'x\\'' ; drop table t; -- '",
        "select $$'$$; drop table t; select $$'$$",
        "select 1 /* /* */ ' */ ; drop table t; -- '",
        "select 1 # '\n ; drop table t; -- '",
        "select E'\\'; drop table t; --'"
    })
    void aSecondStatementIsRefusedUnderEveryReading(String sql) {
        assertThat(UserSql.problem(sql)).as(sql).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"select 'open", "select \"open", "select 1 /* open", "select (1", "select 1) x, (select 2"})
    void unclosedTextAndUnbalancedParenthesesAreRefused(String sql) {
        assertThat(UserSql.problem(sql)).as(sql).isPresent();
    }

    @Test
    void theMessageNamesWhatHoldsTheSql() {
        assertThatThrownBy(() -> UserSql.check("source `secrets`", "copy t to '/tmp/x'"))
                .isInstanceOf(PlanException.class)
                .hasMessage("source `secrets`: `COPY` is not allowed in user SQL; only a single query is (SELECT, WITH,"
                        + " VALUES or a set operation of them)");
        assertThatThrownBy(() -> UserSql.check("entity_sql", " ")).hasMessageContaining("entity_sql: the SQL is empty");
    }

    /** Calcite decides what it can read; what it cannot is left to the words of the lexical check. */
    @Test
    void bothPathsDecide() {
        assertThat(CalciteUserSql.reads("insert into t values (1)")).isTrue();
        assertThat(CalciteUserSql.problem("insert into t values (1)")).hasValueSatisfying(p -> assertThat(p)
                .contains("`INSERT`"));
        assertThat(CalciteUserSql.problem("select a from t union select b from u")).isEmpty();
        assertThat(CalciteUserSql.reads("select 1; select 2")).isTrue();
        assertThat(CalciteUserSql.problem("select 1; select 2")).hasValueSatisfying(p -> assertThat(p)
                .contains("only one statement"));

        assertThat(CalciteUserSql.reads("copy t to '/tmp/x'")).isFalse();
        assertThat(CalciteUserSql.problem("copy t to '/tmp/x'")).isEmpty();
        assertThat(UserSql.problem("copy t to '/tmp/x'")).hasValueSatisfying(p -> assertThat(p).contains("`COPY`"));
        assertThat(CalciteUserSql.reads("from txns select customer_id")).isFalse();
        assertThat(UserSql.problem("from txns select customer_id")).isEmpty();
    }
}
