package dev.fletcher.catalog.lang;

import static dev.fletcher.catalog.lang.Bundles.parseErrors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bundles written to hurt the parser: each is refused with a bundle error, quickly, and nothing else is thrown. */
@Timeout(10)
class BundleHostileInputTest {

    private static String messages(List<BundleError> errors) {
        return String.join("\n", errors.stream().map(BundleError::toString).toList());
    }

    @Test
    void billionLaughsIsRefusedBeforeItGrows() {
        StringBuilder yaml = new StringBuilder("kind: entity\nname: lol\nkeys: [id]\ntags:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char previous = 'a';
        for (char level = 'b'; level <= 'j'; level++) {
            yaml.append("  ").append(level).append(": &").append(level).append(" [");
            for (int i = 0; i < 9; i++) {
                yaml.append(i == 0 ? "" : ",").append('*').append(previous);
            }
            yaml.append("]\n");
            previous = level;
        }
        assertThat(messages(parseErrors(yaml.toString()))).contains("not valid YAML").contains("aliases");
    }

    @Test
    void anAliasThatContainsItselfIsRefused() {
        List<BundleError> list = parseErrors("kind: entity\nname: loop\nkeys: &k [id, *k]\n");
        assertThat(messages(list)).contains("keys");
        List<BundleError> map = parseErrors("kind: entity\nname: loop\nkeys: [id]\ntags: &t {a: *t}\n");
        assertThat(messages(map)).contains("tags");
        List<BundleError> feature = parseErrors("""
                kind: feature_view
                name: v
                entity: e
                source: s
                features: &f
                  - {name: a, column: a}
                  - *f
                """);
        assertThat(messages(feature)).contains("features[1]");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "kind: entity\nname: deep\nkeys: [id]\ntags: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
        assertThat(messages(parseErrors(deep))).contains("not valid YAML").containsIgnoringCase("depth");
        String deepMaps = "kind: entity\nname: deep\nkeys: [id]\ntags: " + "{a: ".repeat(5000) + "b" + "}".repeat(5000);
        assertThat(messages(parseErrors(deepMaps))).contains("not valid YAML");
    }

    @Test
    void controlCharactersInAnyValueAreRefused() {
        BundleError nul = parseErrors("kind: entity\nname: \"cus\\0tomer\"\nkeys: [id]\n").get(0);
        assertThat(nul.field()).isEqualTo("name");
        BundleError description = parseErrors("kind: entity\nname: customer\nkeys: [id]\ndescription: \"a\\0b\"\n")
                .get(0);
        assertThat(description.field()).isEqualTo("description");
        assertThat(description.message()).contains("U+0000");
        BundleError tag = parseErrors("kind: entity\nname: customer\nkeys: [id]\ntags: {\"t\\x01\": x}\n").get(0);
        assertThat(tag.message()).contains("U+0001");
        // a raw NUL is not YAML at all
        assertThat(messages(parseErrors("kind: entity\nname: cus\0tomer\nkeys: [id]\n"))).contains("not valid YAML");
        // tabs and line breaks in text stay allowed
        assertThat(BundleParser.parse("b.yaml", "kind: entity\nname: c\nkeys: [id]\ndescription: \"a\\tb\\nc\"\n")
                .objects()).hasSize(1);
    }

    @Test
    void hugeNumbersAndLongTextAreRefusedWithAnError() {
        assertThat(messages(parseErrors("""
                kind: monitor
                name: m
                metric: revenue
                window: 1d
                alert: {below: 1%s}
                """.formatted("0".repeat(5000))))).contains("alert.below");
        assertThat(messages(parseErrors("""
                kind: feature_view
                name: v
                entity: e
                source: s
                features:
                  - {name: a, aggregation: sum, column: x, window: 99999999999999999999999d}
                """))).contains("window");
        assertThat(messages(parseErrors("kind: entity\nname: " + "n".repeat(100_000) + "\nkeys: [id]\n")))
                .contains("name");
    }

    @Test
    void binsThatAreNotAWholeNumberAreAnErrorNotACrash() {
        // found by BundleParserFuzzTest: the default's int unboxed the null of an unreadable value
        assertThat(parseErrors("""
                kind: monitor
                name: m
                source: orders
                column: revenue
                drift: {method: psi, baseline: 7d, window: 1d, bins: many, threshold: 0.2}
                """)).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("drift.bins"));
    }

    @Test
    void injectionInNamesIsRefusedAsNotAName() {
        for (String name : List.of("x'; DROP TABLE t; --", "x\" OR \"1\"=\"1", "a/*b*/", "`x`", "a--b", "a b",
                "\\u0027x")) {
            List<BundleError> errors = parseErrors("kind: entity\nname: '" + name.replace("'", "''")
                    + "'\nkeys: [id]\n");
            assertThat(errors).as(name).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("name"));
        }
    }
}
