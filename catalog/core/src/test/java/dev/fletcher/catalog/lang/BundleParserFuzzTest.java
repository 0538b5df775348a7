package dev.fletcher.catalog.lang;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds the bundle parser and validator mutations of the example catalog: each must answer a bundle or a
 * {@link BundleException}, never any other exception. Runs for {@code fletcher.fuzz.seconds} (3 by default); every
 * case has its own seed, printed with a failure and kept under {@code target/fuzz-failures}, and
 * {@code -Dfletcher.fuzz.seed=<seed>} replays exactly that case.
 */
class BundleParserFuzzTest {
    private static final String[] TOKENS = {"&a ", "*a", "!!binary ", "!!python/object ", "<<: *a", "{", "}", "[", "]",
        ": ", "- ", "? ", "#", "|", ">", "%YAML 1.1\n", "---\n", "...\n", "\"", "'", "\\", "\t", "\n", "  ", "\0",
        "\u0085", "\u2028", "\uFEFF", "\uD83D\uDE00", "~", "null", "true", "1e400", "-0", "0x1F", "9".repeat(40),
        "'; DROP TABLE catalog_object; --", "/*", "*/", "`", "__", "1h", "0d", "kind: entity", "kind: metric",
        "type: derived", "window: ", "expr: ", "filter: ", "a".repeat(300)};

    @Test
    void mutatedBundlesAnswerABundleOrABundleError() throws IOException {
        String example = Files.readString(Path.of("..", "..", "examples", "catalog.yaml"));
        String replay = System.getProperty("fletcher.fuzz.seed");
        if (replay != null && !replay.isBlank()) {
            check(example, Long.parseLong(replay.trim()));
            return;
        }
        long seconds = Long.getLong("fletcher.fuzz.seconds", 3);
        long base = new Random().nextLong();
        System.out.printf("BundleParserFuzzTest: base seed %d for %d s (replay a case with -Dfletcher.fuzz.seed)%n",
                base, seconds);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        int cases = 0;
        while (System.nanoTime() < deadline) {
            check(example, base + cases++);
        }
        System.out.printf("BundleParserFuzzTest: %d cases%n", cases);
    }

    private static void check(String example, long seed) {
        String bundle = mutate(example, new Random(seed));
        try {
            ParsedBundle parsed = BundleParser.parse("fuzz.yaml", bundle);
            CatalogValidator.validate(new LinkedHashMap<>(Bundles.catalogOf(parsed)), parsed);
        } catch (BundleException expected) {
            // a refusal is a right answer
        } catch (Throwable e) {
            Path kept = keep(seed, bundle, e);
            fail("seed " + seed + ": " + e + " (input in " + kept + "; replay with -Dfletcher.fuzz.seed=" + seed + ")",
                    e);
        }
    }

    /** One to eight edits: token insertions, deletions, swaps and duplications of lines, and character noise. */
    static String mutate(String text, Random random) {
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits; i++) {
            int at = out.isEmpty() ? 0 : random.nextInt(out.length());
            switch (random.nextInt(7)) {
                case 0 -> out.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 1 -> out.delete(at, Math.min(out.length(), at + 1 + random.nextInt(40)));
                case 2 -> out.setCharAt(Math.min(at, Math.max(0, out.length() - 1)), (char) (32 + random.nextInt(95)));
                case 3 -> out.insert(at, Character.toChars(random.nextInt(0x20) == 0 ? random.nextInt(0x20)
                        : 0x20 + random.nextInt(0xD7FF - 0x20)));
                case 4 -> {
                    List<String> lines = new ArrayList<>(List.of(out.toString().split("\n", -1)));
                    int a = random.nextInt(lines.size());
                    int b = random.nextInt(lines.size());
                    String line = lines.get(a);
                    lines.set(a, lines.get(b));
                    lines.set(b, line);
                    out = new StringBuilder(String.join("\n", lines));
                }
                case 5 -> {
                    List<String> lines = new ArrayList<>(List.of(out.toString().split("\n", -1)));
                    int a = random.nextInt(lines.size());
                    lines.add(a, lines.get(random.nextInt(lines.size())));
                    out = new StringBuilder(String.join("\n", lines));
                }
                default -> {
                    // shift one line's indentation, the usual way to break YAML
                    int lineStart = out.lastIndexOf("\n", at) + 1;
                    if (random.nextBoolean()) {
                        out.insert(lineStart, " ".repeat(1 + random.nextInt(4)));
                    } else if (lineStart < out.length() && out.charAt(lineStart) == ' ') {
                        out.deleteCharAt(lineStart);
                    }
                }
            }
        }
        return out.toString();
    }

    private static Path keep(long seed, String bundle, Throwable e) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            Files.writeString(dir.resolve("bundle-" + seed + ".yaml"), bundle, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("bundle-" + seed + ".txt"), trace.toString(), StandardCharsets.UTF_8);
            return dir.resolve("bundle-" + seed + ".yaml");
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
    }
}
