package dev.fletcher.catalog.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.catalog.syntax.SqlLexer.Token;
import dev.fletcher.catalog.syntax.SqlLexer.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlLexerTest {
    @Test
    void backticksQuoteANameOrAPathAsOneToken() {
        List<Token> tokens = SqlLexer.tokens("select a from parquet.`/data/t 1.parquet` where `odd``name` > 1");
        assertThat(tokens).extracting(Token::type).containsExactly(Type.WORD, Type.WORD, Type.WORD, Type.WORD,
                Type.SYMBOL, Type.QUOTED, Type.WORD, Type.QUOTED, Type.SYMBOL, Type.NUMBER, Type.END);
        assertThat(tokens.get(5).text()).isEqualTo("/data/t 1.parquet");
        assertThat(tokens.get(7).text()).isEqualTo("odd`name");
    }

    @Test
    void anUnclosedBacktickIsReportedNotSwallowed() {
        List<Token> tokens = SqlLexer.tokens("x > `open");
        assertThat(tokens.get(2).type()).isEqualTo(Type.UNTERMINATED);
        assertThat(tokens.get(2).offset()).isEqualTo(4);
    }
}
