package dev.fletcher.catalog.lang;

import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.ObjectKey;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads a YAML bundle (many documents, {@code kind} first) into typed definitions. */
public final class BundleParser {
    /** A document marker at the start of a line ends one document and starts the next. */
    private static final Pattern DOCUMENT_START = Pattern.compile("^---(?=\\s|$)");
    private static final Pattern DOCUMENT_END = Pattern.compile("^\\.\\.\\.\\s*$");
    private static final int MAX_BUNDLE_CHARS = 8 * 1024 * 1024;

    private BundleParser() {
    }

    /**
     * Parses and checks each document on its own (syntax, kinds, fields, names, durations, types).
     * Cross-object checks are {@link CatalogValidator}'s. Documents with nothing but comments are skipped and
     * not counted: {@code <bundleName>#3} is the third document that holds something. Field paths are dotted,
     * with 0-based list positions: {@code features[2].window} is the third feature's window.
     *
     * @throws BundleException listing every problem, each naming document, line and field
     */
    public static ParsedBundle parse(String bundleName, String text) {
        List<BundleError> errors = new ArrayList<>();
        List<ParsedObject> objects = new ArrayList<>();
        if (text.length() > MAX_BUNDLE_CHARS) {
            throw new BundleException(List.of(new BundleError(bundleName, null, null,
                    "the bundle is larger than " + MAX_BUNDLE_CHARS / (1024 * 1024) + " MiB; split it into several")));
        }
        Map<ObjectKey, ParsedObject> seen = new HashMap<>();
        int number = 0;
        for (Chunk chunk : split(text)) {
            Node root;
            String label = bundleName + "#" + (number + 1);
            try {
                root = yaml().compose(new StringReader(chunk.text()));
            } catch (MarkedYAMLException e) {
                number++;
                errors.add(syntaxError(label, chunk, e));
                continue;
            } catch (YAMLException e) {
                number++;
                errors.add(new BundleError(label, chunk.firstLine() + 1, null, "not valid YAML: " + e.getMessage()));
                continue;
            }
            if (root == null) {
                continue;
            }
            number++;
            Doc doc = new Doc(label, chunk.firstLine(), errors);
            int before = doc.errorCount();
            refuseControlCharacters(doc, root, "", Collections.newSetFromMap(new IdentityHashMap<>()));
            if (doc.errorCount() > before) {
                continue;
            }
            CatalogObject object = DefinitionReader.read(doc, root);
            if (object == null) {
                continue;
            }
            ParsedObject parsed = new ParsedObject(object, label, doc.line(root), CatalogCodec.toJson(object),
                    doc.fieldLines);
            ParsedObject first = seen.putIfAbsent(object.key(), parsed);
            if (first != null) {
                errors.add(new BundleError(label, parsed.lineOf("name"), "name", object.kind() + " '" + object.name()
                        + "' is defined twice in this bundle (first in " + first.document() + " on line "
                        + first.lineOf("name") + ")"));
                continue;
            }
            objects.add(parsed);
        }
        if (!errors.isEmpty()) {
            throw new BundleException(errors);
        }
        return new ParsedBundle(bundleName, objects);
    }

    /** Reads one mapping node that did not come from a bundle text (e.g. stored JSON); null with errors reported. */
    static CatalogObject readNode(String label, Node root, List<BundleError> errors) {
        return DefinitionReader.read(new Doc(label, 0, errors), root);
    }

    /**
     * Reports every scalar holding a control character other than tab and line breaks, or half a surrogate pair:
     * the escapes of double-quoted YAML can write them, no field has a use for them, and stores and warehouses take
     * them badly (PostgreSQL refuses NUL in text). Visits each node once, since an alias may point at a node that
     * contains it.
     */
    private static void refuseControlCharacters(Doc doc, Node node, String path, Set<Node> seen) {
        if (!seen.add(node)) {
            return;
        }
        if (node instanceof ScalarNode scalar) {
            String bad = badCharacter(scalar.getValue());
            if (bad != null) {
                doc.error(node, path.isEmpty() ? null : path, (path.isEmpty() ? "the document" : "'" + path + "'")
                        + " holds " + bad + ", which no field takes; remove it");
            }
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                Node key = tuple.getKeyNode();
                String name = key instanceof ScalarNode scalar ? scalar.getValue() : null;
                String bad = name == null ? null : badCharacter(name);
                if (bad != null) {
                    doc.error(key, path.isEmpty() ? null : path, "a key " + (path.isEmpty() ? "" : "in '" + path + "' ")
                            + "holds " + bad + ", which no field takes; remove it");
                    continue;
                }
                if (name == null) {
                    refuseControlCharacters(doc, key, path, seen);
                }
                refuseControlCharacters(doc, tuple.getValueNode(), name == null ? path
                        : path.isEmpty() ? name : path + "." + name, seen);
            }
        } else if (node instanceof SequenceNode sequence) {
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                refuseControlCharacters(doc, items.get(i), path + "[" + i + "]", seen);
            }
        }
    }

    /** The first character no field takes, described; null when there is none. */
    private static String badCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
                return String.format("the control character U+%04X", (int) c);
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("half a surrogate pair (U+%04X)", (int) c);
            }
        }
        return null;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        // Aliases can blow a small text up into a huge tree; definitions have no use for many of them.
        options.setMaxAliasesForCollections(20);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(30);
        options.setCodePointLimit(MAX_BUNDLE_CHARS);
        return new Yaml(options);
    }

    private static BundleError syntaxError(String label, Chunk chunk, MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        Integer line = mark == null ? null : mark.getLine() + chunk.firstLine() + 1;
        StringBuilder message = new StringBuilder("not valid YAML: ");
        if (e.getContext() != null) {
            message.append(e.getContext()).append(", ");
        }
        message.append(e.getProblem() == null ? "syntax error" : e.getProblem());
        if (mark != null) {
            message.append(" (column ").append(mark.getColumn() + 1).append(')');
        }
        return new BundleError(label, line, null, message.toString());
    }

    /** One document's text; {@code firstLine} is its 0-based first line in the bundle. */
    private record Chunk(String text, int firstLine) {
    }

    /**
     * Cuts the text at document markers so that a syntax error in one document does not hide the problems of
     * the others. A marker line cannot occur inside a document's content in YAML, so the cut is exact.
     */
    private static List<Chunk> split(String text) {
        List<Chunk> chunks = new ArrayList<>();
        String[] lines = text.split("\\r?\\n|\\r", -1);
        StringBuilder current = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (DOCUMENT_START.matcher(line).find()) {
                chunks.add(new Chunk(current.toString(), start));
                current.setLength(0);
                start = i;
                // Keep what follows the marker on its line (e.g. "--- {kind: entity, ...}"), at its column.
                current.append("   ").append(line.substring(3)).append('\n');
            } else if (DOCUMENT_END.matcher(line).matches()) {
                chunks.add(new Chunk(current.toString(), start));
                current.setLength(0);
                start = i + 1;
            } else if (line.startsWith("%")) {
                // A directive (%YAML, %TAG) belongs to the next document's header, which has no content to read.
                current.append('\n');
            } else {
                current.append(line).append('\n');
            }
        }
        chunks.add(new Chunk(current.toString(), start));
        return chunks;
    }
}
