package dev.fletcher.catalog.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.catalog.syntax.Expression.Binary;
import dev.fletcher.catalog.syntax.Expression.BinaryOperator;
import dev.fletcher.catalog.syntax.Expression.Call;
import dev.fletcher.catalog.syntax.Expression.CastType;
import dev.fletcher.catalog.syntax.Expression.Literal;
import dev.fletcher.catalog.syntax.Expression.Name;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpressionParserTest {

    @Test
    void precedenceIsSqls() {
        Expression e = ExpressionParser.parse("a + b * 2 > 3 or not c is null and d");
        assertThat(e).isInstanceOf(Binary.class);
        Binary or = (Binary) e;
        assertThat(or.operator()).isEqualTo(BinaryOperator.OR);
        Binary greater = (Binary) or.left();
        assertThat(greater.operator()).isEqualTo(BinaryOperator.GREATER);
        Binary plus = (Binary) greater.left();
        assertThat(plus.operator()).isEqualTo(BinaryOperator.ADD);
        assertThat(plus.right()).isEqualTo(new Binary(BinaryOperator.MULTIPLY, new Name("b", false), new Literal(2L)));
        assertThat(((Binary) or.right()).operator()).isEqualTo(BinaryOperator.AND);
    }

    @Test
    void literalsNamesAndCasts() {
        assertThat(ExpressionParser.parse("1.5e2")).isEqualTo(new Literal(150.0));
        assertThat(ExpressionParser.parse(".5")).isEqualTo(new Literal(0.5));
        assertThat(ExpressionParser.parse("'it''s'")).isEqualTo(new Literal("it's"));
        assertThat(ExpressionParser.parse("\"Mixed Case\"")).isEqualTo(new Name("Mixed Case", true));
        assertThat(ExpressionParser.parse("cast(x as double precision)"))
                .isEqualTo(new Expression.Cast(new Name("x", false), CastType.DOUBLE));
        assertThat(ExpressionParser.parse("x::numeric(10, 2)::varchar"))
                .isEqualTo(new Expression.Cast(new Expression.Cast(new Name("x", false), CastType.DOUBLE),
                        CastType.STRING));
        assertThat(ExpressionParser.parse("COALESCE(a, 0) -- trailing comment"))
                .isEqualTo(new Call("coalesce", List.of(new Name("a", false), new Literal(0L))));
    }

    @Test
    void namesAreListedInOrderOfFirstUse() {
        assertThat(ExpressionParser.parse("case when b > 0 then a / b else coalesce(c, a) end").names())
                .containsExactly("b", "a", "c");
        assertThat(ExpressionParser.parse("x in (1, y) and z between 1 and w").names())
                .containsExactly("x", "y", "z", "w");
    }

    @Test
    void whatTheLanguageDoesNotReadIsRefusedWithItsPlace() {
        assertThatThrownBy(() -> ExpressionParser.parse("a + date_trunc('day', b)"))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("the function date_trunc() is not read here")
                .satisfies(e -> assertThat(((ExpressionException) e).offset()).isEqualTo(4));
        assertThatThrownBy(() -> ExpressionParser.parse("nullif(a)")).hasMessageContaining("nullif() takes 2 arguments");
        assertThatThrownBy(() -> ExpressionParser.parse("round()")).hasMessageContaining("round() takes 1 or 2");
        assertThatThrownBy(() -> ExpressionParser.parse("a ; b")).hasMessageContaining("unexpected character ';'");
        assertThatThrownBy(() -> ExpressionParser.parse("a b")).hasMessageContaining("unexpected 'b'");
        assertThatThrownBy(() -> ExpressionParser.parse("'open")).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> ExpressionParser.parse("\"open")).hasMessageContaining("unterminated quoted name");
        assertThatThrownBy(() -> ExpressionParser.parse("1.5d")).hasMessageContaining("'1.5d' is not a number");
        assertThatThrownBy(() -> ExpressionParser.parse("case end")).hasMessageContaining("CASE needs at least one WHEN");
        assertThatThrownBy(() -> ExpressionParser.parse("a not like 'x'"))
                .hasMessageContaining("expected BETWEEN or IN after NOT");
        assertThatThrownBy(() -> ExpressionParser.parse("cast(a as interval)")).hasMessageContaining("CAST to interval");
        assertThatThrownBy(() -> ExpressionParser.parse("(a + 1")).hasMessageContaining("expected ) but found the end");
    }

    @Test
    void theLexerKeepsOffsetsAndSkipsComments() {
        List<SqlLexer.Token> tokens = SqlLexer.tokens("a /* note */ <= 'x'");
        assertThat(tokens).extracting(SqlLexer.Token::type).containsExactly(SqlLexer.Type.WORD, SqlLexer.Type.SYMBOL,
                SqlLexer.Type.STRING, SqlLexer.Type.END);
        assertThat(tokens).extracting(SqlLexer.Token::offset).containsExactly(0, 13, 16, 19);
    }
}
