package dev.fletcher.catalog.lang;

import dev.fletcher.catalog.syntax.Suggestions;
import dev.fletcher.catalog.model.Names;
import dev.fletcher.catalog.model.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reads of one YAML mapping. Every read reports what is wrong to the document and returns null, so
 * that one pass finds every problem.
 */
final class Fields {
    private final Doc doc;
    private final MappingNode node;
    private final String path;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    /** Known fields that an unknown one looked like a typo of: their absence is already explained. */
    private final Set<String> suggested = new HashSet<>();

    private Fields(Doc doc, MappingNode node, String path) {
        this.doc = doc;
        this.node = node;
        this.path = path;
        for (NodeTuple tuple : node.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                doc.error(tuple.getKeyNode(), path.isEmpty() ? null : path, "field names must be plain text, found "
                        + describe(tuple.getKeyNode()));
                continue;
            }
            String key = keyNode.getValue();
            NodeTuple first = entries.putIfAbsent(key, tuple);
            if (first != null) {
                doc.error(keyNode, path(key), "field '" + key + "' is given twice (first on line "
                        + doc.line(first.getKeyNode()) + ")");
            } else {
                Integer line = doc.line(keyNode);
                if (line != null) {
                    doc.fieldLines.put(path(key), line);
                }
            }
        }
    }

    /** Reads {@code node} as a mapping, or reports what it is instead and returns null. */
    static Fields of(Doc doc, Node node, String path) {
        if (node instanceof MappingNode mapping) {
            return new Fields(doc, mapping, path);
        }
        doc.error(node, path.isEmpty() ? null : path, "expected a mapping of fields, found " + describe(node));
        return null;
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof ScalarNode scalar) {
            if (scalar.getTag().equals(Tag.NULL)) {
                return "nothing";
            }
            String value = scalar.getValue();
            return "'" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
        }
        return "something else";
    }

    static boolean isNull(Node node) {
        return node == null || node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    Doc doc() {
        return doc;
    }

    Node node() {
        return node;
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    Set<String> keys() {
        return entries.keySet();
    }

    /** A field is present when it has a value other than null. */
    boolean has(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple != null && !isNull(tuple.getValueNode());
    }

    Node value(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? null : tuple.getValueNode();
    }

    /** Where a field's problem is: its value, or its key when the value is empty. */
    Node at(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return node;
        }
        return isNull(tuple.getValueNode()) ? tuple.getKeyNode() : tuple.getValueNode();
    }

    void error(String key, String message) {
        doc.error(at(key), path(key), message);
    }

    void errorHere(String message) {
        doc.error(node, path.isEmpty() ? null : path, message);
    }

    void missing(String key, String why) {
        if (suggested.contains(key)) {
            return;
        }
        doc.error(at(key), path(key), "missing required field '" + key + "'" + (why == null ? "" : ": " + why));
    }

    /** Reports every field not in {@code allowed}; {@code elsewhere} may explain where a known field belongs. */
    void rejectUnknown(Collection<String> allowed, Function<String, String> elsewhere) {
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            String key = entry.getKey();
            if (allowed.contains(key)) {
                continue;
            }
            String explanation = elsewhere == null ? null : elsewhere.apply(key);
            String close = Suggestions.closest(key, allowed);
            if (explanation == null && close != null && !entries.containsKey(close)) {
                suggested.add(close);
            }
            String message = explanation != null ? explanation
                    : "unknown field '" + key + "'" + Suggestions.hint(key, allowed)
                            + "; allowed here: " + String.join(", ", new TreeSet<>(allowed));
            doc.error(entry.getValue().getKeyNode(), path(key), message);
        }
    }

    // ---- scalars ----

    /** Any scalar's text; null when absent or not a scalar (then reported). */
    String text(String key) {
        if (!has(key)) {
            return null;
        }
        Node value = value(key);
        if (value instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        error(key, "expected text, found " + describe(value));
        return null;
    }

    /** Text that must not be blank when given. */
    String nonBlank(String key, boolean required, String why) {
        if (!has(key)) {
            if (required) {
                missing(key, why);
            }
            return null;
        }
        String text = text(key);
        if (text != null && text.isBlank()) {
            error(key, "'" + key + "' must not be blank");
            return null;
        }
        return text;
    }

    String name(String key, boolean required, String why) {
        String text = nonBlank(key, required, why);
        if (text != null && !Names.isName(text)) {
            error(key, badName(text));
            return null;
        }
        return text;
    }

    static String badName(String text) {
        return "'" + text + "' is not a valid name: use 1 to 63 lowercase letters, digits and _, starting with a letter";
    }

    String column(String key, boolean required, String why) {
        String text = nonBlank(key, required, why);
        if (text != null && !Names.isColumn(text)) {
            error(key, badColumn(text));
            return null;
        }
        return text;
    }

    static String badColumn(String text) {
        return "'" + text + "' is not a column name: use letters, digits and _, starting with a letter or _";
    }

    Window window(String key, boolean required, boolean zeroAllowed, String why) {
        String text = nonBlank(key, required, why);
        if (text == null) {
            return null;
        }
        try {
            Window window = Window.parse(text);
            if (window.isZero() && !zeroAllowed) {
                error(key, "'" + key + "' must be longer than 0");
                return null;
            }
            return window;
        } catch (IllegalArgumentException e) {
            error(key, e.getMessage());
            return null;
        }
    }

    Boolean bool(String key) {
        if (!has(key)) {
            return null;
        }
        Node value = value(key);
        if (value instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)) {
            return parseBool(scalar.getValue());
        }
        error(key, "expected true or false, found " + describe(value));
        return null;
    }

    static boolean parseBool(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y");
    }

    Double number(String key, boolean required, String why) {
        if (!has(key)) {
            if (required) {
                missing(key, why);
            }
            return null;
        }
        Node value = value(key);
        Double number = value instanceof ScalarNode s ? parseNumber(s) : null;
        if (number == null) {
            error(key, "expected a number, found " + describe(value));
        }
        return number;
    }

    static Double parseNumber(ScalarNode scalar) {
        if (!scalar.getTag().equals(Tag.INT) && !scalar.getTag().equals(Tag.FLOAT)) {
            return null;
        }
        try {
            double d = Double.parseDouble(scalar.getValue().replace("_", ""));
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    Integer integer(String key, boolean required, String why) {
        if (!has(key)) {
            if (required) {
                missing(key, why);
            }
            return null;
        }
        Node value = value(key);
        if (value instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
            try {
                return Integer.valueOf(s.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                // falls through to the report below
            }
        }
        error(key, "expected a whole number, found " + describe(value));
        return null;
    }

    /** One of a closed set of words; a wrong one is reported with every allowed value. */
    <E extends Enum<E>> E choice(String key, boolean required, String why, E[] values, Function<E, String> id,
            Collection<E> allowed) {
        String text = nonBlank(key, required, why);
        if (text == null) {
            return null;
        }
        List<String> ids = Arrays.stream(values).filter(allowed::contains).map(id).toList();
        Optional<E> found = Arrays.stream(values).filter(allowed::contains).filter(v -> id.apply(v).equals(text)).findFirst();
        if (found.isEmpty()) {
            error(key, "'" + text + "' is not allowed for '" + key + "'" + Suggestions.hint(text, ids)
                    + "; use one of: " + String.join(", ", ids));
            return null;
        }
        return found.get();
    }

    <E extends Enum<E>> E choice(String key, boolean required, String why, E[] values, Function<E, String> id) {
        return choice(key, required, why, values, id, Arrays.asList(values));
    }

    // ---- structures ----

    Fields mapping(String key, boolean required, String why) {
        if (!has(key)) {
            if (required) {
                missing(key, why);
            }
            return null;
        }
        return of(doc, value(key), path(key));
    }

    /** The items of a list field; null when absent or not a list (then reported). */
    List<Node> list(String key, boolean required, String why) {
        if (!has(key)) {
            if (required) {
                missing(key, why);
            }
            return null;
        }
        Node value = value(key);
        if (value instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                Integer line = doc.line(sequence.getValue().get(i));
                if (line != null) {
                    doc.fieldLines.put(itemPath(key, i), line);
                }
            }
            if (sequence.getValue().isEmpty() && required) {
                error(key, "'" + key + "' must not be empty");
                return null;
            }
            return sequence.getValue();
        }
        error(key, "expected a list, found " + describe(value));
        return null;
    }

    String itemPath(String key, int index) {
        return path(key) + "[" + index + "]";
    }

    /** A list of names or column names, each checked, without repeats. */
    List<String> words(String key, boolean required, String why, boolean columns) {
        List<Node> items = list(key, required, why);
        if (items == null) {
            return null;
        }
        List<String> words = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String word = word(items.get(i), itemPath(key, i), columns);
            if (word == null) {
                ok = false;
            } else if (!seen.add(word)) {
                doc.error(items.get(i), itemPath(key, i), "'" + word + "' is listed twice in '" + key + "'");
                ok = false;
            } else {
                words.add(word);
            }
        }
        return ok ? words : null;
    }

    /** One name or column name standing alone as a node (list items, mapping values). */
    String word(Node item, String itemPath, boolean column) {
        if (!(item instanceof ScalarNode scalar) || isNull(item)) {
            doc.error(item, itemPath, "expected a " + (column ? "column name" : "name") + ", found " + describe(item));
            return null;
        }
        String text = scalar.getValue();
        boolean valid = column ? Names.isColumn(text) : Names.isName(text);
        if (!valid) {
            doc.error(item, itemPath, column ? badColumn(text) : badName(text));
            return null;
        }
        return text;
    }

    /** {@code tags: {key: value}}: free-form labels, both sides text. */
    Map<String, String> tags() {
        Fields tags = mapping("tags", false, null);
        if (tags == null) {
            return Map.of();
        }
        Map<String, String> result = new TreeMap<>();
        for (String key : tags.keys()) {
            if (key.isBlank()) {
                tags.error(key, "tag names must not be blank");
                continue;
            }
            String value = tags.text(key);
            result.put(key, value == null ? "" : value);
        }
        return result;
    }
}
