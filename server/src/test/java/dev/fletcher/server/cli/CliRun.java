package dev.fletcher.server.cli;

import dev.fletcher.cli.Fletcher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** One run of the real command line, in this JVM, with its output and exit code. */
public record CliRun(int exitCode, String out, String err) {

    /** Runs {@code fletcher args...} with the given environment, in {@code dir} (also its home folder). */
    public static CliRun of(Map<String, String> env, Path dir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Fletcher.run(args, env, dir, dir, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
