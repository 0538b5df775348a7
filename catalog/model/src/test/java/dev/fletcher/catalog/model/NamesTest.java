package dev.fletcher.catalog.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void isNameAgreesWithThePatternOnEveryKindOfText() {
        assertThat(Names.isName("customer_profile")).isTrue();
        assertThat(Names.isName("a" + "b".repeat(62))).isTrue();
        assertThat(Names.isName("a" + "b".repeat(63))).isFalse();
        assertThat(Names.isName("")).isFalse();
        assertThat(Names.isName(null)).isFalse();
        assertThat(Names.isName("_x")).isFalse();
        assertThat(Names.isName("1x")).isFalse();
        assertThat(Names.isName("Plan")).isFalse();
        String alphabet = "az09_AZé-: \u0000";
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(70);
            for (int c = 0; c < length; c++) {
                text.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
                        : (char) ('a' + random.nextInt(26)));
            }
            String candidate = text.toString();
            assertThat(Names.isName(candidate)).as(candidate).isEqualTo(Names.NAME.matcher(candidate).matches());
        }
    }
}
