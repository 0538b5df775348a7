package dev.fletcher.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.catalog.syntax.ExpressionParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The read-time evaluator of derived features, on values worked out by hand as SQL would give them. */
class DerivedExpressionTest {
    private static final List<String> NAMES = List.of("a", "b", "n", "s", "x");

    /** a = 7 (bigint), b = 2 (bigint), n = null, s = 'pro', x = 2.5 (double). */
    private static Object eval(String expr, boolean truncating) {
        return DerivedExpression.compile(expr, NAMES::indexOf, truncating)
                .evaluate(new Object[] {7L, 2L, null, "pro", 2.5});
    }

    private static Object eval(String expr) {
        return eval(expr, false);
    }

    @Test
    void arithmeticFollowsTheWarehousesDivision() {
        assertThat(eval("a / b")).isEqualTo(3.5);
        assertThat(eval("a / b", true)).isEqualTo(3L);
        assertThat(eval("a % b")).isEqualTo(1L);
        assertThat(eval("a + b * 3 - 1")).isEqualTo(12L);
        assertThat(eval("(a + b) * x")).isEqualTo(22.5);
        assertThat(eval("-a + 10")).isEqualTo(3L);
        assertThat(eval("cast(a as double precision) / b", true)).isEqualTo(3.5);
        assertThat(eval("a::double / 4", true)).isEqualTo(1.75);
        assertThat(eval("1.5e2 / 3")).isEqualTo(50.0);
        assertThat(eval("a / 0")).isNull();
    }

    @Test
    void nullsPropagateAsInSql() {
        assertThat(eval("a + n")).isNull();
        assertThat(eval("a / nullif(b - 2, 0)")).isNull();
        assertThat(eval("coalesce(n, a, b)")).isEqualTo(7L);
        assertThat(eval("n is null")).isEqualTo(true);
        assertThat(eval("a is not null and n is null")).isEqualTo(true);
        assertThat(eval("n > 1")).isNull();
        assertThat(eval("n > 1 or a > 1")).isEqualTo(true);
        assertThat(eval("n > 1 and a < 1")).isEqualTo(false);
        assertThat(eval("n in (1, 2)")).isNull();
        assertThat(eval("a in (1, n)")).isNull();
        assertThat(eval("a in (1, 7)")).isEqualTo(true);
        assertThat(eval("a not in (1, 2)")).isEqualTo(true);
    }

    @Test
    void comparisonsCaseAndFunctions() {
        assertThat(eval("case when a > 5 then 'big' else 'small' end")).isEqualTo("big");
        assertThat(eval("case s when 'free' then 0 when 'pro' then 1 end")).isEqualTo(1L);
        assertThat(eval("case when n > 1 then 1 end")).isNull();
        assertThat(eval("a between 2 and 7")).isEqualTo(true);
        assertThat(eval("a not between 2 and 6")).isEqualTo(true);
        assertThat(eval("s = 'pro' and s <> 'free'")).isEqualTo(true);
        assertThat(eval("greatest(a, b, n, 3)")).isEqualTo(7L);
        assertThat(eval("least(x, b)")).isEqualTo(2L);
        assertThat(eval("abs(b - a)")).isEqualTo(5L);
        assertThat(eval("round(a / 3.0, 2)")).isEqualTo(2.33);
        assertThat(eval("power(b, 10)")).isEqualTo(1024.0);
        assertThat(eval("upper(s) || '-' || length(s)")).isEqualTo("PRO-3");
        assertThat(eval("\"a\" * 2")).isEqualTo(14L);
        assertThat(eval("A * 2")).isEqualTo(14L);
    }

    @Test
    void whatItDoesNotReadIsRefusedAtCompileTime() {
        assertThatThrownBy(() -> eval("frobnicate(a)")).hasMessageContaining("frobnicate() is not read here");
        assertThatThrownBy(() -> eval("a +")).hasMessageContaining("ends too early");
        assertThatThrownBy(() -> eval("missing * 2")).hasMessageContaining("'missing' is not a feature");
        assertThatThrownBy(() -> eval("cast(a as interval)")).hasMessageContaining("CAST to interval");
        assertThatThrownBy(() -> eval("a ; b")).hasMessageContaining("unexpected character");
    }

    /** The parser's list of functions and the evaluator's cannot drift apart: each one the catalog accepts runs here. */
    @Test
    void everyFunctionTheParserReadsIsEvaluated() {
        ExpressionParser.FUNCTIONS.forEach((name, arity) -> {
            String args = String.join(", ", List.of("x", "a").subList(0, arity[0]));
            assertThat(eval(name.startsWith("lower") || name.startsWith("upper") || name.equals("length")
                    ? name + "(s)" : name + "(" + args + ")")).as(name).isNotNull();
        });
    }
}
