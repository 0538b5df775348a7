package dev.fletcher.cli;

import dev.fletcher.catalog.lang.BundleError;
import dev.fletcher.catalog.lang.BundleException;
import dev.fletcher.catalog.lang.BundleParser;
import dev.fletcher.catalog.lang.CatalogValidator;
import dev.fletcher.catalog.lang.ParsedBundle;
import dev.fletcher.catalog.lang.ParsedObject;
import dev.fletcher.catalog.model.CatalogObject;
import dev.fletcher.catalog.model.ObjectKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A catalog on disk: one YAML file, or every {@code *.yaml}/{@code *.yml} file of a folder (not its subfolders, as the
 * server's {@code fletcher.catalog.load} reads one), parsed and validated with the server's own parser and validator.
 * A folder's files make one bundle, sent to the server as one text; the server's line numbers are turned back into
 * each file's own.
 */
final class Bundles {
    /** A project's settings file, never a catalog file. */
    static final String PROJECT_CONFIG = "fletcher.yaml";
    private static final Pattern DOCUMENT = Pattern.compile("^(.*)#(\\d+)$");

    /** One file of the bundle, where it starts in the combined text and how many documents it holds. */
    record Part(Path file, String text, int firstLine, int lines, int documents) {
    }

    /** The bundle's files, their combined text, and every object parsed from them. */
    record Bundle(String name, List<Part> parts, String text, ParsedBundle parsed) {
        ParsedObject object(String kind, String name) {
            return parsed.objects().stream()
                    .filter(o -> o.object().kind().id().equals(kind) && o.object().name().equals(name))
                    .findFirst().orElse(null);
        }

        /** The server's document and line (in the combined text) as the file's own. */
        String describe(String document, Integer line, String field, String message) {
            String where = document;
            Integer at = line;
            if (parts.size() > 1) {
                Matcher m = document == null ? null : DOCUMENT.matcher(document);
                if (m != null && m.matches() && m.group(1).equals(name)) {
                    int index = Integer.parseInt(m.group(2));
                    for (Part part : parts) {
                        if (index <= part.documents()) {
                            where = part.file().getFileName() + "#" + index;
                            break;
                        }
                        index -= part.documents();
                    }
                }
                if (line != null) {
                    for (Part part : parts) {
                        if (line >= part.firstLine() && line < part.firstLine() + part.lines()) {
                            at = line - part.firstLine() + 1;
                            if (document == null || !document.contains("#")) {
                                where = part.file().getFileName().toString();
                            }
                        }
                    }
                }
            }
            return new BundleError(where == null ? name : where, at, field, message).toString();
        }
    }

    /** A bundle the parser or the validator refused; every problem names its file, document, line and field. */
    static final class Invalid extends RuntimeException {
        private final List<BundleError> errors;

        Invalid(String message, List<BundleError> errors) {
            super(message);
            this.errors = List.copyOf(errors);
        }

        List<BundleError> errors() {
            return errors;
        }
    }

    private Bundles() {
    }

    /** The files a path names: itself, or a folder's YAML files in name order. */
    static List<Path> files(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + " is neither a file nor a folder");
        }
        try (Stream<Path> entries = Files.list(path)) {
            List<Path> files = entries.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yaml")
                            || p.getFileName().toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().equals(PROJECT_CONFIG))
                    .sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException("the folder " + path + " holds no *.yaml or *.yml file");
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads and parses every file (each document checked on its own, as the server does).
     *
     * @throws Invalid listing the problems of every file
     */
    static Bundle read(Path path) {
        List<Path> files = files(path);
        List<Part> parts = new ArrayList<>();
        List<ParsedObject> objects = new ArrayList<>();
        List<BundleError> errors = new ArrayList<>();
        StringBuilder combined = new StringBuilder();
        int nextLine = 1;
        for (Path file : files) {
            String text = readText(file);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                text = text + "\n";
            }
            if (combined.length() > 0) {
                // A document marker of its own between two files, so their documents never merge.
                combined.append("---\n");
                nextLine++;
            }
            int lines = (int) text.chars().filter(c -> c == '\n').count();
            int documents = 0;
            try {
                List<ParsedObject> parsed = BundleParser.parse(file.getFileName().toString(), text).objects();
                objects.addAll(parsed);
                documents = parsed.size();
            } catch (BundleException e) {
                errors.addAll(e.errors());
            }
            parts.add(new Part(file, text, nextLine, lines, documents));
            combined.append(text);
            nextLine += lines;
        }
        if (!errors.isEmpty()) {
            throw new Invalid(count(errors) + " in " + path, errors);
        }
        String name = files.size() == 1 ? files.get(0).getFileName().toString() : path.getFileName() == null
                ? path.toString() : path.getFileName().toString();
        return new Bundle(name, parts, combined.toString(), new ParsedBundle(name, objects));
    }

    /**
     * Checks the bundle as a whole catalog with the server's validator (references, cycles, types between objects):
     * what an apply of it to an empty catalog, or with {@code --prune}, would check. Warehouse checks (tables and
     * columns exist) need the server: {@code fletcher plan}.
     *
     * @throws Invalid listing every problem
     */
    static void validate(Bundle bundle) {
        if (bundle.parsed().objects().isEmpty()) {
            throw new Invalid("no definitions in " + bundle.name(), List.of(new BundleError(bundle.name(), null, null,
                    "the bundle holds no definitions; write one or more YAML documents, each starting with 'kind:'")));
        }
        try {
            CatalogValidator.rejectDuplicates(bundle.parsed());
            Map<ObjectKey, CatalogObject> all = new TreeMap<>();
            for (ParsedObject object : bundle.parsed().objects()) {
                all.put(object.object().key(), object.object());
            }
            CatalogValidator.validate(all, bundle.parsed());
        } catch (BundleException e) {
            throw new Invalid(count(e.errors()) + " in " + bundle.name(), e.errors());
        }
    }

    /** A server-side bundle error, as one line. */
    static String describe(dev.fletcher.sdk.BundleError error) {
        return new BundleError(error.document(), error.line(), error.field(), error.message()).toString();
    }

    private static String count(List<BundleError> errors) {
        return errors.size() == 1 ? "1 problem" : errors.size() + " problems";
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
