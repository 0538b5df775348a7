package dev.fletcher.catalog.lang;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.ObjectKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers shared by the language tests. */
final class Bundles {
    private Bundles() {
    }

    static String resource(String name) {
        try (InputStream in = Bundles.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The errors of a bundle that must be rejected. */
    static List<BundleError> parseErrors(String text) {
        BundleException[] thrown = new BundleException[1];
        assertThatThrownBy(() -> BundleParser.parse("b.yaml", text))
                .isInstanceOfSatisfying(BundleException.class, e -> thrown[0] = e);
        return thrown[0].errors();
    }

    static Map<ObjectKey, CatalogObject> catalogOf(ParsedBundle... bundles) {
        Map<ObjectKey, CatalogObject> map = new LinkedHashMap<>();
        for (ParsedBundle bundle : bundles) {
            bundle.objects().forEach(o -> map.put(o.object().key(), o.object()));
        }
        return map;
    }

    /** Validates the bundle on top of {@code stored}, expecting it to be rejected. */
    static List<BundleError> validationErrors(Map<ObjectKey, CatalogObject> stored, String text) {
        ParsedBundle bundle = BundleParser.parse("b.yaml", text);
        Map<ObjectKey, CatalogObject> after = new LinkedHashMap<>(stored);
        after.putAll(catalogOf(bundle));
        BundleException[] thrown = new BundleException[1];
        assertThatThrownBy(() -> CatalogValidator.validate(after, bundle))
                .isInstanceOfSatisfying(BundleException.class, e -> thrown[0] = e);
        return thrown[0].errors();
    }
}
