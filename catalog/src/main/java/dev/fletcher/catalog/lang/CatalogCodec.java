package dev.fletcher.catalog.lang;

import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.Kind;

/** Turns definitions into their canonical JSON and back; what persistence stores. */
public final class CatalogCodec {
    private CatalogCodec() {
    }

    /** Canonical JSON: keys sorted, defaults applied, so equal definitions give equal text. */
    public static String toJson(CatalogObject object) {
        throw new UnsupportedOperationException("not written yet");
    }

    public static CatalogObject fromJson(Kind kind, String json) {
        throw new UnsupportedOperationException("not written yet");
    }

    /** The definition as YAML, as a user would write it (for GET responses that ask for YAML). */
    public static String toYaml(CatalogObject object) {
        throw new UnsupportedOperationException("not written yet");
    }
}
