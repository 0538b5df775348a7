package dev.fletcher.catalog.lang;

import java.util.List;

/** A parsed bundle: every document in order. */
public record ParsedBundle(String name, List<ParsedObject> objects) {
    public ParsedBundle {
        objects = List.copyOf(objects);
    }
}
