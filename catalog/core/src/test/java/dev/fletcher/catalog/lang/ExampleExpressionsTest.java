package dev.fletcher.catalog.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fletcher.catalog.model.Feature;
import dev.fletcher.catalog.model.FeatureView;
import dev.fletcher.catalog.syntax.ExpressionParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example catalog's derived features and filters are written in the language the evaluators run, so every one of
 * them can be served online and fed by a stream; the conformance suite checks that the language gives the warehouse's
 * values.
 */
class ExampleExpressionsTest {

    @Test
    void everyDerivedFeatureAndFilterOfTheExampleIsInTheLanguage() throws IOException {
        String yaml = Files.readString(Path.of("..", "..", "examples", "catalog.yaml"));
        List<String> read = new ArrayList<>();
        for (ParsedObject parsed : BundleParser.parse("catalog.yaml", yaml).objects()) {
            if (parsed.object() instanceof FeatureView view) {
                for (Feature feature : view.features()) {
                    if (feature instanceof Feature.Derived d) {
                        ExpressionParser.parse(d.expr());
                        read.add(d.expr());
                    } else if (feature instanceof Feature.Aggregated a && a.filter() != null) {
                        ExpressionParser.parse(a.filter());
                        read.add(a.filter());
                    }
                }
            }
        }
        assertThat(read).as("the example holds derived features and filters").hasSizeGreaterThanOrEqualTo(3);
    }
}
