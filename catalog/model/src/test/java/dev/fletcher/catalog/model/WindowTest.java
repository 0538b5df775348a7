package dev.fletcher.catalog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WindowTest {
    @Test
    void readsEveryUnit() {
        assertThat(Window.parse("30s").seconds()).isEqualTo(30);
        assertThat(Window.parse("5m").seconds()).isEqualTo(300);
        assertThat(Window.parse("3h").seconds()).isEqualTo(10_800);
        assertThat(Window.parse("14d").seconds()).isEqualTo(1_209_600);
        assertThat(Window.parse("2w").seconds()).isEqualTo(1_209_600);
        assertThat(Window.parse("0s").isZero()).isTrue();
    }

    @Test
    void keepsTheTextAsWritten() {
        assertThat(Window.parse("2w").text()).isEqualTo("2w");
        assertThat(Window.parse("14d")).isNotEqualTo(Window.parse("2w"));
        assertThat(Window.parse("14d").compareTo(Window.parse("2w"))).isZero();
        assertThat(Window.parse(" 7d ").text()).isEqualTo("7d");
    }

    @Test
    void rejectsWhatIsNotADuration() {
        for (String bad : new String[] {"", "7", "d", "7D", "1.5h", "-1h", "7 d", "1y", "1h30m", "9999999999s"}) {
            assertThatThrownBy(() -> Window.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> Window.parse("999999999w")).hasMessageContaining("100 years");
    }
}
