package dev.fletcher.catalog.lang;

import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.ObjectKey;
import java.util.Map;

/** Checks a whole catalog: references, cycles, entity and type agreement between objects. */
public final class CatalogValidator {
    private CatalogValidator() {
    }

    /**
     * Validates the catalog as it would be after an apply.
     *
     * @param catalog every object after the apply (stored objects merged with the bundle's)
     * @param bundle  the bundle being applied, so errors about its objects name their document and line
     * @throws BundleException listing every problem
     */
    public static void validate(Map<ObjectKey, CatalogObject> catalog, ParsedBundle bundle) {
        throw new UnsupportedOperationException("not written yet");
    }
}
