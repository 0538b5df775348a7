package dev.fletcher.catalog.lang;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** What reading one document needs: its label, where it sits in the bundle, and where problems go. */
final class Doc {
    final String label;
    private final int lineOffset;
    private final List<BundleError> errors;
    /** Dotted field path -> 1-based line, for errors found later about the same fields. */
    final Map<String, Integer> fieldLines = new LinkedHashMap<>();

    Doc(String label, int lineOffset, List<BundleError> errors) {
        this.label = label;
        this.lineOffset = lineOffset;
        this.errors = errors;
    }

    /** 1-based line of a node in the bundle text; null for nodes that were not read from text. */
    Integer line(Node node) {
        Mark mark = node == null ? null : node.getStartMark();
        return mark == null ? null : mark.getLine() + lineOffset + 1;
    }

    void error(Node at, String field, String message) {
        errors.add(new BundleError(label, line(at), field, message));
    }

    int errorCount() {
        return errors.size();
    }
}
